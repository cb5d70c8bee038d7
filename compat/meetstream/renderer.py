"""MeetStream's callback format (vendor-clients.md §3): `{event, bot_event, bot_id, bot_status, message,
status_code, timestamp, custom_attributes}`, with the seed's legacy fields carried alongside
(`audio_status`, `transcript_status`, `data_deletion`), signed with
`X-MeetStream-Signature: sha256=<hex HMAC-SHA256(secret as UTF-8 text, raw body)>` and stamped with
`X-MeetStream-Timestamp` (ISO 8601). The webhook format `meetstream` (compat/registry.py)."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from functools import lru_cache

from bots.models import Bot, BotStatus
from compat.meetstream.status import EVENTS, MESSAGES, STATUS_CODES, meetstream_status
from meetings.events.catalogue import EventType
from webhooks.renderers.base import Rendered

USER_AGENT = "Notula-Webhooks/1.0"
ACCEPTED = (EventType.BOT_STATUS_CHANGED, EventType.RECORDING_READY, EventType.TRANSCRIPT_READY, EventType.DATA_DELETED)
OVER = (BotStatus.POST_PROCESSING, BotStatus.ENDED, BotStatus.FAILED)


def accepts(event_type: str) -> bool:
    return event_type in ACCEPTED


@lru_cache(maxsize=4096)
def _custom_attributes(bot_id: str) -> str:
    # A bot's metadata is fixed once it has joined; cached as JSON text so no caller can change it.
    metadata = Bot.objects.filter(pk=bot_id).values_list("metadata", flat=True).first()
    return json.dumps(metadata or {})


def _status_fields(data: dict) -> tuple[str, str, int]:
    """(event, bot_status, status_code) of a status change: `bot.stopped` once, when the bot stops
    (into post-processing or straight to its end); `bot.done` when its processing then ends."""
    new, old = data.get("new_status") or data.get("status") or "", data.get("old_status") or ""
    word = meetstream_status(new, data.get("end_reason"))
    if new == BotStatus.ENDED and old == BotStatus.POST_PROCESSING:
        return "bot.done", word, 200
    if new in OVER and old in OVER:
        return "bot.done", word, 200
    name = EVENTS.get(word, "bot." + word.lower())
    # `bot.stopped` always carries 200, whatever the reason (the SDK's is_terminal); bot_status says why.
    return name, word, 200 if name == "bot.stopped" else STATUS_CODES.get(word, 500)


def body_for(event: dict) -> dict:
    data = event.get("data") or {}
    bot_id = event.get("bot_id") or data.get("bot_id") or ""
    body: dict = {"bot_id": bot_id}
    if event["type"] == EventType.BOT_STATUS_CHANGED:
        name, word, code = _status_fields(data)
        message = data.get("message") or MESSAGES.get(word, word)
    elif event["type"] == EventType.RECORDING_READY:
        kind = data.get("kind") or "audio"
        name, word, code, message = f"{kind}.processed", "Stopped", 200, f"{kind.capitalize()} processing completed"
        body[f"{kind}_status"] = "Success"
    elif event["type"] == EventType.TRANSCRIPT_READY:
        name, word, code, message = "transcription.processed", "Stopped", 200, "Transcript processing completed"
        body["transcript_status"] = "Success"
        body["transcript_id"] = event.get("meeting_id")
    else:
        name, word, code, message = "data_deletion", "Stopped", 200, "Bot data deleted"
        body["data_deletion"] = {"status": data.get("status"), "deleted_objects": data.get("parts") or []}
    body.update(
        event=name,
        bot_event=name,
        bot_status=word,
        message=message,
        status_code=code,
        timestamp=event["created_at"],
        custom_attributes=json.loads(_custom_attributes(bot_id)) if bot_id else {},
    )
    return body


def signature(*, secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def render(event: dict, *, secret: str, delivery_id: str, attempt: int, now: float) -> Rendered:
    body = json.dumps(body_for(event), separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-MeetStream-Signature": signature(secret=secret, body=body),
        "X-MeetStream-Timestamp": datetime.fromtimestamp(now, UTC).isoformat().replace("+00:00", "Z"),
        "X-MeetStream-Delivery-Id": f"{delivery_id}.{attempt}",
    }
    return Rendered(body=body, headers=headers)
