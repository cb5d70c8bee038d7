"""`create_bot`'s body in Notula's words: one call of `bots.services.bot_create`, and the meeting's
extra endpoints (`live_transcription_required.webhook_url`, `recording_config.realtime_endpoints`)."""

from accounts.models import ApiKey, Organization
from accounts.transcription_keys import transcription_key_for
from bots import services
from bots.models import Bot
from compat.meetstream.inputs import REALTIME_EVENTS
from meetings.asr_choices import cloud_key_missing
from meetings.events.catalogue import EventType
from webhooks.services import endpoint_create_for_meeting

# MeetStream's automatic_leave names -> Notula's.
LEAVE_NAMES = {
    "waiting_room_timeout": "waiting_room_timeout",
    "everyone_left_timeout": "everyone_left_timeout",
    "in_call_recording_timeout": "max_duration",
    "recording_permission_denied_timeout": "recording_permission_denied_timeout",
}
# MeetStream's providers that Notula also speaks to (post-processing or streaming: Notula streams both).
CLOUD_PROVIDERS = {
    "deepgram": "deepgram",
    "deepgram_streaming": "deepgram",
    "assemblyai": "assemblyai",
    "assemblyai_streaming": "assemblyai",
}
LIVE_TYPES = [EventType.CAPTION_PARTIAL, EventType.SEGMENT_FINALIZED]


def transcription_from(provider: dict | None, *, organization: Organization) -> dict | None:
    """`recording_config.transcript.provider` as Notula's transcription options: `meeting_captions` takes
    the platform's captions; Deepgram and AssemblyAI are Notula's own backends of those providers when a
    key for them is there (the organization's or the server's); any other provider, or one without a key,
    gets Notula's default transcription (the local Whisper model unless the organization chose another).
    The provider's `language`, when given, is the transcription's language."""
    if not provider:
        return None
    name, options = next(iter(provider.items()))
    if name == "meeting_captions":
        return {"backend": "captions"}
    chosen: dict = {}
    if isinstance(options, dict) and options.get("language"):
        chosen["language"] = options["language"]
    backend = CLOUD_PROVIDERS.get(name)
    if backend:
        own_key = bool(transcription_key_for(organization=organization, provider=backend))
        if not cloud_key_missing(backend, own_key):
            chosen["backend"] = backend
    return chosen or None


def streaming_from(given: dict) -> dict | None:
    streaming: dict = {}
    if "live_audio_required" in given:
        streaming.update(audio_url=given["live_audio_required"]["websocket_url"], audio_format="meetstream")
    websocket_url = (given.get("live_transcription_required") or {}).get("websocket_url")
    if websocket_url:
        streaming["transcript_url"] = websocket_url
    if given.get("socket_connection_url"):
        streaming["control_url"] = given["socket_connection_url"]
    return streaming or None


def bot_create_from(given: dict, *, organization: Organization, api_key: ApiKey) -> Bot:
    config = given.get("recording_config") or {}
    bot = services.bot_create(
        organization=organization,
        api_key=api_key,
        meeting_url=given["meeting_link"],
        bot_name=given["bot_name"],
        join_at=given["join_at"],
        entry_message=given["bot_message"],
        bot_image_url=given["bot_image_url"],
        webhook_url=given["callback_url"],
        webhook_format="meetstream" if given["callback_url"] else "native",
        metadata=dict(given["custom_attributes"]),
        recording={"mode": "speaker_view" if given["video_required"] else "audio_only"},
        automatic_leave={LEAVE_NAMES[k]: v for k, v in (given.get("automatic_leave") or {}).items()} or None,
        streaming=streaming_from(given),
        retention=config.get("retention"),
        transcription=transcription_from((config.get("transcript") or {}).get("provider"), organization=organization),
        dialect="meetstream",
    )
    webhook_url = (given.get("live_transcription_required") or {}).get("webhook_url")
    if webhook_url:
        _endpoint(bot, api_key, webhook_url, LIVE_TYPES, "live_transcription_required")
    for number, endpoint in enumerate(config.get("realtime_endpoints") or []):
        types = [REALTIME_EVENTS[name] for name in endpoint["events"]]
        _endpoint(bot, api_key, endpoint["url"], types, f"recording_config.realtime_endpoints[{number}]")
    return bot


def _endpoint(bot: Bot, api_key: ApiKey, url: str, event_types: list[str], origin: str) -> None:
    endpoint_create_for_meeting(
        meeting=bot.meeting,
        url=url,
        secret=api_key.signing_secret,
        description=f"{origin} of {bot.id}",
        format="meetstream_live",
        event_types=event_types,
    )
