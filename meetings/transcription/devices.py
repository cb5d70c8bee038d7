"""Which device a local backend runs on, checked before a model is loaded.

Without this, `NOTULA_ASR_DEVICE=cuda` on a machine whose CUDA libraries or GPU are missing fails
deep inside CTranslate2 or PyTorch with a message about a shared library; this says what to do.
"""

DEVICES = ("cpu", "cuda")
RECIPE = "docs/transcription.md, 'On a GPU (CUDA)'"


class DeviceUnavailable(RuntimeError):
    pass


def cuda_devices(backend: str) -> int:
    """How many CUDA devices the backend's runtime sees (0 where its CUDA libraries are missing)."""
    try:
        if backend == "openai-whisper":
            import torch

            return torch.cuda.device_count() if torch.cuda.is_available() else 0
        import ctranslate2

        return ctranslate2.get_cuda_device_count()
    except (ImportError, RuntimeError, OSError):
        return 0


def device_check(device: str, backend: str) -> None:
    """Raise DeviceUnavailable, saying what to change, when `device` cannot run `backend` here."""
    if device not in DEVICES:
        raise DeviceUnavailable(f"Unknown ASR device '{device}' (NOTULA_ASR_DEVICE); use one of {', '.join(DEVICES)}.")
    if device == "cuda" and cuda_devices(backend) == 0:
        raise DeviceUnavailable(
            f"NOTULA_ASR_DEVICE=cuda, but {backend} sees no CUDA device on this machine: install the CUDA "
            f"libraries ({RECIPE}) or set NOTULA_ASR_DEVICE=cpu."
        )
