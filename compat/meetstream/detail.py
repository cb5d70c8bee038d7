"""The parts of MeetStream's `bot_details` that tell a bot's story: `StatusTimeline` (when each of
MeetStream's statuses was first reached, from Notula's status history) and `RequestPayload` (the
create_bot request, in MeetStream's field names, as Notula keeps it in the bot's settings)."""

from bots.models import Bot, BotStatus
from bots.selectors import bot_status_history
from compat.meetstream.create import LEAVE_NAMES
from compat.meetstream.inputs import REALTIME_EVENTS
from compat.meetstream.status import meetstream_status
from compat.times import iso_ms_z
from webhooks.selectors import meeting_endpoints

BACKEND_PROVIDERS = {
    "captions": "meeting_captions",
    "deepgram": "deepgram_streaming",
    "assemblyai": "assemblyai_streaming",
}


def status_timeline(bot: Bot) -> dict:
    """`{status: first time reached}` in the order reached, starting with the creation."""
    timeline = {meetstream_status(BotStatus.QUEUED): iso_ms_z(bot.created_at)}
    for change in bot_status_history(bot=bot):
        word = meetstream_status(change.new_status, change.end_reason)
        timeline.setdefault(word, iso_ms_z(change.created_at))
    return timeline


def request_payload(bot: Bot) -> dict:
    settings = bot.settings
    streaming = settings.get("streaming") or {}
    payload: dict = {
        "meeting_link": bot.meeting_url,
        "bot_name": bot.bot_name,
        "video_required": (settings.get("recording") or {}).get("mode") == "speaker_view",
        "bot_message": bot.entry_message,
        "bot_image_url": bot.bot_image_url,
        "join_at": iso_ms_z(bot.join_at),
        "callback_url": bot.webhook_url,
        "custom_attributes": bot.metadata,
    }
    if streaming.get("audio_url"):
        payload["live_audio_required"] = {"websocket_url": streaming["audio_url"]}
    live: dict = {}
    realtime = []
    for endpoint in meeting_endpoints(meeting=bot.meeting).filter(format="meetstream_live"):
        if endpoint.description.startswith("live_transcription_required"):
            live["webhook_url"] = endpoint.url
        else:
            events = [theirs for theirs, ours in REALTIME_EVENTS.items() if ours in endpoint.event_types]
            realtime.append({"type": "webhook", "url": endpoint.url, "events": events})
    if streaming.get("transcript_url"):
        live["websocket_url"] = streaming["transcript_url"]
    if live:
        payload["live_transcription_required"] = live
    if streaming.get("control_url"):
        payload["socket_connection_url"] = streaming["control_url"]
    config: dict = {}
    backend = (settings.get("transcription") or {}).get("backend")
    if backend in BACKEND_PROVIDERS:
        config["transcript"] = {"provider": {BACKEND_PROVIDERS[backend]: {}}}
    if settings.get("retention"):
        config["retention"] = settings["retention"]
    if realtime:
        config["realtime_endpoints"] = realtime
    if config:
        payload["recording_config"] = config
    leave = settings.get("automatic_leave") or {}
    payload["automatic_leave"] = {theirs: leave.get(ours) for theirs, ours in LEAVE_NAMES.items()}
    return payload
