"""An organization's default speech-to-text backend: what a bot, an import or a re-transcription that
names no backend of its own is transcribed with. Applied when the object is created, so a bot's
settings show what it will use."""

from accounts.models import Organization, TranscriptionDefault
from accounts.transcription_keys import transcription_key_for
from common.errors import ValidationError
from meetings.asr_choices import cloud_key_missing, transcription_check

SERVER_DEFAULT: dict = {"backend": None, "model": None, "language": None}


def transcription_default_get(*, organization: Organization) -> dict:
    stored = TranscriptionDefault.objects.filter(organization=organization).first()
    if stored is None:
        return dict(SERVER_DEFAULT)
    return {"backend": stored.backend, "model": stored.model, "language": stored.language}


def transcription_default_set(
    *, organization: Organization, backend: str | None, model: str | None = None, language: str | None = None
) -> dict:
    """Store the default; a null backend clears it (the server's NOTULA_ASR_BACKEND then applies).
    A cloud backend needs a key stored for the organization (or the server's own): else a 400."""
    if backend is None:
        TranscriptionDefault.objects.filter(organization=organization).delete()
        return dict(SERVER_DEFAULT)
    has_key = bool(transcription_key_for(organization=organization, provider=backend))
    if cloud_key_missing(backend, has_key):
        message = (
            f"{backend} needs an API key: store one first (POST /api/v1/transcription_keys, or the "
            "dashboard's Transcription page); this server has none of its own"
        )
        raise ValidationError(message, fields={"backend": [message]})
    transcription_check(backend=backend, model=model, language=language, has_own_key=True)
    TranscriptionDefault.objects.update_or_create(
        organization=organization, defaults={"backend": backend, "model": model, "language": language}
    )
    return transcription_default_get(organization=organization)


def transcription_options_with_default(*, organization: Organization, options: dict, usable: tuple = ()) -> dict:
    """`options` (backend, model, language as a request gave them) with the organization's default
    filled in where the request named no backend. `usable`: the backends this kind of request may use
    (an import has no captions); a default outside them leaves the server's default."""
    if options.get("backend"):
        return options
    default = transcription_default_get(organization=organization)
    if not default["backend"] or (usable and default["backend"] not in usable):
        return options
    filled = {**options, "backend": default["backend"]}
    for name in ("model", "language"):
        if not options.get(name) and default[name]:
            filled[name] = default[name]
    return filled
