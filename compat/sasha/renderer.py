"""The Sasha Meeting Room callback format: `{type, meetingId, sequence, timestamp, payload}` signed with
`X-Sasha-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`, the secret used as UTF-8 text.
The webhook format `sasha` (compat/registry.py): a bot started through the Sasha dialect gets its
`callbackUrl` as an endpoint in this format; any webhook endpoint may also choose it."""

import hashlib
import hmac
import json
from datetime import UTC, datetime

from compat.sasha.ids import sasha_meeting_id_for
from compat.sasha.status import sasha_status
from meetings.events.catalogue import EventType
from webhooks.renderers.base import Rendered

USER_AGENT = "Notula-Webhooks/1.0"

# Notula's event types that Sasha clients know, with Sasha's own wire names (which do not follow
# Notula's naming); the rest of Notula's events are not sent in this format.
TYPES = {
    EventType.BOT_STATUS_CHANGED: "meeting_status",
    EventType.CAPTION_PARTIAL: "caption_partial",
    EventType.SEGMENT_FINALIZED: "segment_finalized",
    EventType.COACH_INSIGHT: "coach_insight",
    EventType.PARTICIPANT_JOINED: "participant_joined",
    EventType.PARTICIPANT_LEFT: "participant_left",
    EventType.DOCUMENT_SAVED: "document_saved",
}


def accepts(event_type: str) -> bool:
    return event_type in TYPES


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _iso_ms(value: str) -> str:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def payload_for(event_type: str, data: dict, created_at: str) -> dict:
    """Notula's payload in Sasha's words: its fields camelCased, plus the fields Sasha clients read."""
    payload = {_camel(key): value for key, value in data.items()}
    if event_type == EventType.BOT_STATUS_CHANGED:
        status = data.get("new_status") or data.get("status") or ""
        message = data.get("message") or (data.get("end_reason") or "").replace("_", " ")
        return {"status": sasha_status(status), "message": message or status.replace("_", " ")}
    if event_type in (EventType.SEGMENT_FINALIZED, EventType.CAPTION_PARTIAL):
        payload["speaker"] = data.get("speaker") or data.get("speaker_name") or "Unknown"
        payload["text"] = data.get("text") or ""
        started = data.get("started_at")
        payload["timestamp"] = _iso_ms(started) if started else created_at
    elif event_type in (EventType.PARTICIPANT_JOINED, EventType.PARTICIPANT_LEFT):
        payload["name"] = data.get("name") or data.get("participant_name") or ""
    elif event_type == EventType.COACH_INSIGHT:
        payload["category"] = data.get("category") or ""
        payload["text"] = data.get("text") or data.get("message") or ""
    elif event_type == EventType.DOCUMENT_SAVED:
        payload["documentPath"] = data.get("path") or data.get("document_path") or ""
        if "segments" in data:
            payload["totalSegments"] = payload["segmentsWritten"] = data["segments"]
    return payload


def signature(*, secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def render(event: dict, *, secret: str, delivery_id: str, attempt: int, now: float) -> Rendered:
    sasha_type = TYPES.get(event["type"], event["type"])
    created_at = _iso_ms(event["created_at"])
    body_obj = {
        "type": sasha_type,
        "meetingId": sasha_meeting_id_for(event["meeting_id"]),
        "sequence": event["sequence"],
        "timestamp": created_at,
        "payload": payload_for(event["type"], event.get("data") or {}, created_at),
    }
    body = json.dumps(body_obj, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Sasha-Signature": signature(secret=secret, body=body),
        "X-Sasha-Event": sasha_type,
        "X-Sasha-Meeting-Id": body_obj["meetingId"],
        # Unique per attempt, as the Sasha documentation says; the event itself is `sequence` per meeting.
        "X-Sasha-Delivery-Id": f"{delivery_id}.{attempt}",
    }
    return Rendered(body=body, headers=headers)
