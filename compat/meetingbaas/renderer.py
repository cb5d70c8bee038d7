"""Meeting BaaS's webhook format (OpenAPI `/bots/webhooks*`, vendor-clients.md §2): `{event, data}`
JSON with the header `x-meeting-baas-api-key: <the API key the bot was sent with>`, the vendor's only
webhook authentication (no signature). The webhook format `meetingbaas` (compat/registry.py).

- `bot.status_change` `{bot_id, status: {code, created_at, start_time?}}` for every status change but
  a failure, which is `failed` `{bot_id, error, message, extra}`, and the end of post-processing;
- `complete` `{bot_id, transcript, speakers, mp4, audio, extra}` when post-processing ends: the
  transcript is complete and the recordings are written (they come after the transcript);
- `transcription_complete` `{bot_id}` whenever a transcript is ready: the call's, and each
  re-transcription's (POST /bots/retranscribe);
- `calendar.sync_events` `{calendar_id, last_updated_ts, affected_event_uuids}` after a calendar sync
  that changed events (an organization endpoint in this format, docs/compat.md)."""

import json

from bots.models import Bot, BotStatus
from compat.meetingbaas import outputs
from compat.meetingbaas.ids import uuid_for
from compat.meetingbaas.status import failed_error, status_code
from compat.times import iso_ms_z
from meetings.events.catalogue import EventType
from meetings.models import Recording
from webhooks.renderers.base import Rendered

USER_AGENT = "Notula-Webhooks/1.0"
ACCEPTED = (EventType.BOT_STATUS_CHANGED, EventType.TRANSCRIPT_READY, EventType.CALENDAR_SYNC_EVENTS)


def accepts(event_type: str) -> bool:
    return event_type in ACCEPTED


def _bot(event: dict) -> Bot | None:
    bot_id = event.get("bot_id") or (event.get("data") or {}).get("bot_id")
    bots = Bot.objects.select_related("meeting")
    if bot_id:
        return bots.filter(pk=bot_id).first()
    return bots.filter(meeting_id=event.get("meeting_id")).order_by("-created_at").first()


def _z(value: str) -> str:
    """Notula's event time (ISO 8601, Z) with milliseconds, as the vendor writes it."""
    head, _, rest = value.partition(".")
    return f"{head}.{(rest.rstrip('Z') + '000')[:3]}Z" if rest else value.replace("Z", ".000Z")


def _status_change(event: dict, bot: Bot | None) -> dict:
    data = event.get("data") or {}
    new = data.get("new_status") or data.get("status") or ""
    uuid = uuid_for(bot.id) if bot else None
    if new == BotStatus.ENDED and data.get("old_status") == BotStatus.POST_PROCESSING and bot is not None:
        return _complete(bot)
    if new == BotStatus.FAILED:
        return {
            "event": "failed",
            "data": {
                "bot_id": uuid,
                "event_uuid": None,
                "error": failed_error(data.get("end_reason")),
                "message": data.get("message") or (data.get("end_reason") or "failed").replace("_", " "),
                "extra": bot.metadata if bot else {},
            },
        }
    code = status_code(
        new=new,
        old=data.get("old_status") or "",
        recording_state=data.get("recording_state") or "",
        end_reason=data.get("end_reason"),
    )
    status: dict = {"code": code, "created_at": _z(event["created_at"])}
    if code == "in_call_recording" and bot and bot.joined_at:
        status["start_time"] = iso_ms_z(bot.joined_at)
    return {"event": "bot.status_change", "data": {"bot_id": uuid, "status": status}}


def _complete(bot: Bot) -> dict:
    return {
        "event": "complete",
        "data": {
            "bot_id": uuid_for(bot.id),
            "event_uuid": None,
            "transcript": outputs.webhook_transcript(bot),
            "speakers": outputs.speakers(bot),
            "mp4": outputs.recording_url(bot, Recording.Kind.VIDEO),
            "audio": outputs.recording_url(bot, Recording.Kind.AUDIO),
            "extra": bot.metadata,
        },
    }


def _calendar_sync(event: dict) -> dict:
    data = event.get("data") or {}
    return {
        "event": "calendar.sync_events",
        "data": {
            "calendar_id": uuid_for(data.get("calendar_id") or ""),
            "last_updated_ts": _z(event["created_at"]),
            "affected_event_uuids": [uuid for uuid in map(uuid_for, data.get("event_ids") or []) if uuid],
        },
    }


def body_for(event: dict) -> dict:
    if event["type"] == EventType.CALENDAR_SYNC_EVENTS:
        return _calendar_sync(event)
    bot = _bot(event)
    if event["type"] == EventType.BOT_STATUS_CHANGED:
        return _status_change(event, bot)
    return {"event": "transcription_complete", "data": {"bot_id": uuid_for(bot.id) if bot else None}}


def render(event: dict, *, secret: str, delivery_id: str, attempt: int, now: float) -> Rendered:
    body = json.dumps(body_for(event), separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "x-meeting-baas-api-key": secret,
        "x-meeting-baas-delivery-id": f"{delivery_id}.{attempt}",
    }
    return Rendered(body=body, headers=headers)
