"""Convert a CTranslate2 Whisper model (`model.bin`) back into an openai-whisper checkpoint.

No package ships openai-whisper `.pt` weights, but the CTranslate2 file holds the same tensors:
the self-attention q/k/v projections are fused into one matrix (and the kv of cross-attention into
another), the key projection has no bias in Whisper (CTranslate2 stores zeros there), and layer
norms are named gamma/beta. Splitting them back gives a checkpoint that transcribes identically.
"""

import struct
from pathlib import Path

import numpy as np

# CTranslate2's DataType enum, as written in model.bin.
_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}


def read_ct2_model(path: str | Path) -> dict[str, np.ndarray]:
    """Every variable of a CTranslate2 `model.bin` (binary format version 4 to 6), aliases resolved."""
    data = Path(path).read_bytes()
    offset = 0

    def take(fmt: str):
        nonlocal offset
        values = struct.unpack_from(fmt, data, offset)
        offset += struct.calcsize(fmt)
        return values

    def take_string() -> str:
        nonlocal offset
        (length,) = take("<H")
        raw = data[offset : offset + length]
        offset += length
        return raw.rstrip(b"\0").decode()

    (version,) = take("<I")
    if not 4 <= version <= 6:
        raise ValueError(f"Unsupported CTranslate2 model.bin version {version}.")
    spec = take_string()
    if spec != "WhisperSpec":
        raise ValueError(f"Not a Whisper model: {spec}.")
    take("<I")  # spec revision
    (count,) = take("<I")
    variables: dict[str, np.ndarray] = {}
    for _ in range(count):
        name = take_string()
        (rank,) = take("<B")
        shape = take(f"<{rank}I") if rank else ()
        (type_id,) = take("<B")
        (size,) = take("<I")
        if type_id not in _DTYPES:
            raise ValueError(f"{name}: unsupported data type {type_id} (convert from a float model).")
        dtype = np.dtype(_DTYPES[type_id])
        array = np.frombuffer(data, dtype=dtype, count=size // dtype.itemsize, offset=offset)
        variables[name] = array.reshape(shape) if shape else array.reshape(())
        offset += size
    (aliases,) = take("<I")
    for _ in range(aliases):
        alias, target = take_string(), take_string()
        variables[alias] = variables[target]
    return variables


def _layers(variables: dict, prefix: str) -> int:
    names = {k.split("/")[1] for k in variables if k.startswith(prefix + "/layer_")}
    return sum(1 for name in names if name[len("layer_") :].isdigit())


def _ln(state: dict, variables: dict, src: str, dst: str) -> None:
    state[f"{dst}.weight"] = variables[f"{src}/gamma"]
    state[f"{dst}.bias"] = variables[f"{src}/beta"]


def _linear(state: dict, variables: dict, src: str, dst: str) -> None:
    state[f"{dst}.weight"] = variables[f"{src}/weight"]
    state[f"{dst}.bias"] = variables[f"{src}/bias"]


def _qkv(state: dict, weight: np.ndarray, bias: np.ndarray, dst: str, names: tuple[str, ...]) -> None:
    for name, w, b in zip(names, np.split(weight, len(names)), np.split(bias, len(names)), strict=True):
        state[f"{dst}.{name}.weight"] = w
        if name != "key":  # Whisper's key projection has no bias
            state[f"{dst}.{name}.bias"] = b


def _attention(state: dict, v: dict, src: str, dst: str, *, cross: bool) -> None:
    _ln(state, v, f"{src}/layer_norm", f"{dst}_ln")
    if cross:
        _linear(state, v, f"{src}/linear_0", f"{dst}.query")
        _qkv(state, v[f"{src}/linear_1/weight"], v[f"{src}/linear_1/bias"], dst, ("key", "value"))
        _linear(state, v, f"{src}/linear_2", f"{dst}.out")
    else:
        _qkv(state, v[f"{src}/linear_0/weight"], v[f"{src}/linear_0/bias"], dst, ("query", "key", "value"))
        _linear(state, v, f"{src}/linear_1", f"{dst}.out")


def _ffn(state: dict, v: dict, src: str, dst: str) -> None:
    _ln(state, v, f"{src}/layer_norm", f"{dst}.mlp_ln")
    _linear(state, v, f"{src}/linear_0", f"{dst}.mlp.0")
    _linear(state, v, f"{src}/linear_1", f"{dst}.mlp.2")


def ct2_to_openai_state(variables: dict[str, np.ndarray]) -> tuple[dict, dict[str, np.ndarray]]:
    """(dims, state dict of numpy arrays) in openai-whisper's naming."""
    v = variables
    state: dict[str, np.ndarray] = {}
    for conv in ("conv1", "conv2"):
        _linear(state, v, f"encoder/{conv}", f"encoder.{conv}")
    state["encoder.positional_embedding"] = v["encoder/position_encodings/encodings"]
    n_audio_layer = _layers(v, "encoder")
    for i in range(n_audio_layer):
        src, dst = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        _attention(state, v, f"{src}/self_attention", f"{dst}.attn", cross=False)
        _ffn(state, v, f"{src}/ffn", dst)
    _ln(state, v, "encoder/layer_norm", "encoder.ln_post")

    state["decoder.token_embedding.weight"] = v["decoder/embeddings/weight"]
    state["decoder.positional_embedding"] = v["decoder/position_encodings/encodings"]
    n_text_layer = _layers(v, "decoder")
    for i in range(n_text_layer):
        src, dst = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        _attention(state, v, f"{src}/self_attention", f"{dst}.attn", cross=False)
        _attention(state, v, f"{src}/attention", f"{dst}.cross_attn", cross=True)
        _ffn(state, v, f"{src}/ffn", dst)
    _ln(state, v, "decoder/layer_norm", "decoder.ln")

    embedding = v["decoder/embeddings/weight"]
    dims = {
        "n_mels": int(v["encoder/conv1/weight"].shape[1]),
        "n_vocab": int(embedding.shape[0]),
        "n_audio_ctx": int(v["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(v["encoder/conv1/weight"].shape[0]),
        "n_audio_head": int(v["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_text_ctx": int(v["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(embedding.shape[1]),
        "n_text_head": int(v["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    return dims, state


def convert_ct2_to_openai_whisper(model_dir: str | Path, target: str | Path) -> Path:
    """Write an openai-whisper checkpoint (`{"dims", "model_state_dict"}`) converted from `model_dir`."""
    import torch

    dims, state = ct2_to_openai_state(read_ct2_model(Path(model_dir) / "model.bin"))
    tensors = {name: torch.from_numpy(np.array(array, dtype=np.float16)) for name, array in state.items()}
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".pt.tmp")
    torch.save({"dims": dims, "model_state_dict": tensors}, partial)
    partial.replace(target)
    return target
