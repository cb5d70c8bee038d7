"""The ASR backends by name, and the process-wide cache of loaded models.

A backend is chosen per bot (`transcription.backend`, `model`, `language`) with defaults from
settings. Loading a model takes a second or more, so each process (a bot worker, an ASR worker)
loads each configuration once and keeps it.
"""

import logging
import threading
import time
from importlib import import_module

from django.conf import settings

from meetings.transcription.base import Backend, BackendOptions

BACKENDS: dict[str, str] = {
    "faster-whisper": "meetings.transcription.backends.faster_whisper.FasterWhisperBackend",
    "openai-whisper": "meetings.transcription.backends.openai_whisper.OpenAIWhisperBackend",
    "openai-compatible": "meetings.transcription.backends.openai_compatible.OpenAICompatibleBackend",
    "captions": "meetings.transcription.backends.captions.CaptionsBackend",
    "deepgram": "meetings.transcription.backends.deepgram.DeepgramBackend",
    "assemblyai": "meetings.transcription.backends.assemblyai.AssemblyAIBackend",
}
# Backends that send the audio to a provider's cloud, with a key (the bot's own or the server's).
CLOUD_BACKENDS = ("deepgram", "assemblyai")

log = logging.getLogger(__name__)
_loaded: dict[BackendOptions, Backend] = {}
_lock = threading.Lock()


class UnknownBackend(ValueError):
    pass


def backend_class(name: str):
    if name not in BACKENDS:
        raise UnknownBackend(f"Unknown transcription backend '{name}'; use one of {', '.join(BACKENDS)}.")
    module, _, cls = BACKENDS[name].rpartition(".")
    return getattr(import_module(module), cls)


def options_from_settings(transcription: dict | None = None) -> BackendOptions:
    """The backend options of a bot's `transcription` settings, completed from the server's defaults."""
    transcription = transcription or {}
    return BackendOptions(
        backend=transcription.get("backend") or settings.ASR_BACKEND,
        model=transcription.get("model") or settings.ASR_MODEL,
        device=transcription.get("device") or settings.ASR_DEVICE,
        compute_type=transcription.get("compute_type") or settings.ASR_COMPUTE_TYPE,
        cpu_threads=settings.ASR_CPU_THREADS,
        api_key=transcription.get("api_key") or "",
    )


def backend_get(options: BackendOptions) -> Backend:
    """The loaded backend for these options (loaded on first use, then shared by every caller)."""
    backend = _loaded.get(options)
    if backend is not None:
        return backend
    cls = backend_class(options.backend)
    with _lock:
        backend = _loaded.get(options)
        if backend is None:
            began = time.monotonic()
            backend = _loaded[options] = cls(options)
            log.info("Loaded ASR model %s/%s in %.1f s", options.backend, options.model, time.monotonic() - began)
    return backend


def backends_loaded() -> list[BackendOptions]:
    return list(_loaded)
