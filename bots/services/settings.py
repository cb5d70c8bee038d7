"""A bot's settings: the defaults, and a request's groups merged over them and checked."""

import copy

from django.conf import settings

from accounts.crypto import secret_encrypt
from accounts.models import Organization
from accounts.transcription_keys import transcription_key_for
from meetings.asr_choices import transcription_check

DEFAULT_SETTINGS: dict = {
    "transcription": {
        "enabled": True,
        "backend": None,
        "model": None,
        "language": "en",
        "partials": True,
        "save_document": True,
    },
    "recording": {"mode": "audio_only", "audio_format": "mp3", "include_bot_voice": False, "per_participant": False},
    "automatic_leave": {
        "waiting_room_timeout": 600,
        "noone_joined_timeout": 600,
        "everyone_left_timeout": 60,
        "silence_timeout": 1800,
        "max_duration": 4 * 3600,
        # Zoom: how long the host may take to allow the bot to record, when the meeting asks for it.
        "recording_permission_denied_timeout": 300,
    },
    "streaming": {"audio_url": None, "input": None, "input_sample_rate": 16000},
    # Seconds between two screenshots of the bot's page in the call (bots/screenshots.py); 0: none.
    "screenshots": {"interval_s": 0},
}
SETTING_GROUPS = tuple(DEFAULT_SETTINGS)


def bot_settings_merge(current: dict | None, changes: dict) -> dict:
    """Defaults, then the current settings, then the requested changes, one group at a time.

    In `automatic_leave`, 0 or null turns a rule off (stored as 0, so that a later merge keeps it off);
    elsewhere null means "the default". `retention` is there only when the bot was given one (else its
    organization's applies, deletion/retention.py)."""
    merged = copy.deepcopy(DEFAULT_SETTINGS)
    merged["transcription"]["backend"] = settings.ASR_BACKEND
    merged["transcription"]["model"] = settings.ASR_MODEL
    for source in (current or {}, changes):
        for group in SETTING_GROUPS:
            values = source.get(group)
            if not values:
                continue
            if group == "automatic_leave":
                merged[group].update({k: v or 0 for k, v in values.items()})
            else:
                merged[group].update({k: v for k, v in values.items() if v is not None})
        # Replaced whole, never merged: {"type": "forever"} must not keep an earlier `hours`.
        if source.get("retention"):
            merged["retention"] = dict(source["retention"])
    # A provider key is kept encrypted at rest and never shown again (the API leaves it out).
    key = merged["transcription"].pop("api_key", None)
    if key:
        merged["transcription"]["api_key_encrypted"] = secret_encrypt(key)
    return merged


def bot_settings_public(bot_settings: dict) -> dict:
    """The settings as the API shows them: without the stored provider key."""
    transcription = {k: v for k, v in (bot_settings.get("transcription") or {}).items() if k != "api_key_encrypted"}
    return {**bot_settings, "transcription": transcription} if bot_settings.get("transcription") else bot_settings


def _check_transcription(merged: dict, requested: dict | None, organization: Organization | None = None) -> None:
    """`organization`: its stored provider keys count as the bot's own."""
    transcription = merged["transcription"]
    if not transcription.get("enabled", True):
        return
    backend = transcription["backend"]
    # The captions backend has no model: only a model the request itself named is an error there.
    model = (requested or {}).get("model") if backend == "captions" else transcription["model"]
    transcription_check(
        backend=backend,
        model=model,
        language=transcription["language"],
        within="transcription",
        has_own_key=bool(transcription.get("api_key_encrypted"))
        or (organization is not None and bool(transcription_key_for(organization=organization, provider=str(backend)))),
    )
