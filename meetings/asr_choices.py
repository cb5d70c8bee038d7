"""What a request may ask to be transcribed with, checked when a bot, an import or a re-transcription is
created: a model this server does not have, a language the model cannot transcribe or a backend that is
not configured is refused then, naming the field, rather than failing (or quietly falling back) later.
"""

from django.conf import settings

from common.errors import ValidationError
from meetings.transcription.registry import BACKENDS, CLOUD_BACKENDS
from meetings.transcription.weights import PACKAGED

AUTO = "auto"
# Whisper's language codes (every multilingual Whisper model knows the same ones).
WHISPER_LANGUAGES = (
    "af am ar as az ba be bg bn bo br bs ca cs cy da de el en es et eu fa fi fo fr gl gu ha haw he hi hr ht hu "
    "hy id is it ja jw ka kk km kn ko la lb ln lo lt lv mg mi mk ml mn mr ms mt my ne nl nn no oc pa pl ps pt ro "
    "ru sa sd si sk sl sn so sq sr su sv sw ta te tg th tk tl tr tt uk ur uz vi yi yo yue zh"
).split()
LANGUAGE_CHOICES = [AUTO, *WHISPER_LANGUAGES]
WHISPER_BACKENDS = ("faster-whisper", "openai-whisper")


def whisper_models() -> list[str]:
    """The models a request may name: the packaged ones and the server's own default (which may be a path)."""
    return sorted({*PACKAGED, settings.ASR_MODEL})


def is_english_only(model: str) -> bool:
    # Whisper's English-only checkpoints are the `.en` ones (tiny.en, base.en, ...).
    return model.endswith(".en")


def cloud_key_missing(backend: str, has_own_key: bool) -> bool:
    server_keys = {"deepgram": settings.DEEPGRAM_API_KEY, "assemblyai": settings.ASSEMBLYAI_API_KEY}
    return backend in CLOUD_BACKENDS and not has_own_key and not server_keys[backend]


def transcription_problems(
    *, backend: str | None, model: str | None, language: str | None, has_own_key: bool | None = None
) -> dict[str, str]:
    """Field -> what is wrong, for the options a request gave (None: the server's default applies).
    `has_own_key`: whether the request gave a provider key of its own (`api_key`); None where a request
    cannot give one (then a missing key is the backend's problem)."""
    problems: dict[str, str] = {}
    chosen_backend = backend or settings.ASR_BACKEND
    if chosen_backend not in BACKENDS:
        problems["backend"] = f"unknown backend {chosen_backend!r}; use one of {', '.join(BACKENDS)}"
        return problems
    if chosen_backend == "openai-compatible" and not settings.ASR_API_URL:
        problems["backend"] = "openai-compatible is not configured on this server (NOTULA_ASR_API_URL is empty)"
    if cloud_key_missing(chosen_backend, bool(has_own_key)):
        if has_own_key is None:
            problems["backend"] = f"{chosen_backend} is not configured on this server (it has no API key for it)"
        else:
            problems["api_key"] = f"{chosen_backend} needs an API key: give api_key (this server has none of its own)"
    if chosen_backend in CLOUD_BACKENDS:
        # The provider knows its own models and languages; the provider's default model is used for
        # a Whisper model name (the server's default fills that in).
        if language and language not in LANGUAGE_CHOICES:
            problems["language"] = f"unknown language {language!r}; use a language code (en, de, ...) or auto"
        return problems
    if chosen_backend == "captions":
        if model:
            problems["model"] = "the captions backend takes the platform's captions; it has no model"
        return problems
    chosen_model = model or settings.ASR_MODEL
    if chosen_backend in WHISPER_BACKENDS and model and model not in whisper_models():
        problems["model"] = f"unknown model {model!r}; this server has {', '.join(whisper_models())}"
        return problems
    if language and language not in LANGUAGE_CHOICES:
        problems["language"] = f"unknown language {language!r}; use a Whisper language code (en, de, ...) or auto"
    elif language and language not in (AUTO, "en") and is_english_only(chosen_model):
        problems["language"] = (
            f"the model {chosen_model} transcribes English only; "
            f"use a multilingual model (such as base) for {language!r}"
        )
    return problems


def transcription_check(
    *, backend: str | None, model: str | None, language: str | None, within: str = "", has_own_key: bool | None = None
) -> None:
    """Raise a 400 naming each field that cannot be honoured; `within` nests them (e.g. "transcription")."""
    problems = transcription_problems(backend=backend, model=model, language=language, has_own_key=has_own_key)
    if not problems:
        return
    fields = {name: [message] for name, message in problems.items()}
    prefix = f"{within}." if within else ""
    message = "; ".join(f"{prefix}{name}: {text}" for name, text in problems.items())
    raise ValidationError(message, fields={within: fields} if within else fields)
