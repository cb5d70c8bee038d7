"""`create_bot`'s body in Notula's words: one call of `bots.services.bot_create`."""

from accounts.models import ApiKey, Organization
from bots import services
from bots.models import Bot
from webhooks.services import endpoint_create_for_meeting

# MeetStream's automatic_leave names -> Notula's.
LEAVE_NAMES = {
    "waiting_room_timeout": "waiting_room_timeout",
    "everyone_left_timeout": "everyone_left_timeout",
    "in_call_recording_timeout": "max_duration",
    "recording_permission_denied_timeout": "recording_permission_denied_timeout",
}


def bot_create_from(given: dict, *, organization: Organization, api_key: ApiKey) -> Bot:
    """`recording_config.transcript.provider`: `meeting_captions` takes the platform's captions; any
    other provider (Deepgram, AssemblyAI, ...) is answered by Notula's own ASR, the bot's default."""
    config = given.get("recording_config") or {}
    metadata = dict(given["custom_attributes"])
    provider = (config.get("transcript") or {}).get("provider")
    streaming = {"audio_url": given["live_audio_required"]["websocket_url"]} if "live_audio_required" in given else None
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
        metadata=metadata,
        recording={"mode": "speaker_view" if given["video_required"] else "audio_only"},
        automatic_leave={LEAVE_NAMES[k]: v for k, v in (given.get("automatic_leave") or {}).items()} or None,
        streaming=streaming,
        retention=config.get("retention"),
        transcription={"backend": "captions"} if provider and "meeting_captions" in provider else None,
        dialect="meetstream",
    )
    live = given.get("live_transcription_required")
    if live:
        endpoint_create_for_meeting(
            meeting=bot.meeting,
            url=live["webhook_url"],
            secret=api_key.signing_secret,
            description=f"live_transcription_required of {bot.id}",
            format="meetstream_live",
        )
    return bot
