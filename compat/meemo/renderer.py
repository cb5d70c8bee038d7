"""Meemo's webhook format: `{event, event_uuid, created_at, data: {meeting_id, organization_id, ...}}`
with Meemo's ids, signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`,
`webhook-signature: v1,<base64>`) with the webhook's `whsec_` secret — what that secret implies; Meemo
documents no scheme. The webhook format `meemo` (compat/registry.py)."""

import json

from compat.meemo.ids import meemo_id
from compat.meemo.webhook_events import MEEMO_OF
from meetings.events.catalogue import EventType
from webhooks.renderers.base import Rendered
from webhooks.renderers.native import sign

USER_AGENT = "Notula-Webhooks/1.0"


def accepts(event_type: str) -> bool:
    return event_type in MEEMO_OF


def _data(event: dict) -> dict:
    payload = event.get("data") or {}
    meeting = event.get("meeting_id") or payload.get("meeting_id")
    data: dict = {"meeting_id": meemo_id(meeting) if meeting else None}
    if event.get("organization_id"):
        data["organization_id"] = meemo_id(event["organization_id"])
    if event["type"] == EventType.TRANSCRIPT_READY:
        data.update(total_segments=payload.get("segments"), language=payload.get("language") or "")
    elif event["type"] == EventType.TRANSCRIPT_FAILED:
        data["reason"] = payload.get("reason") or ""
    elif event["type"] == EventType.BOT_CREATED:
        data.update(bot_meeting_url=payload.get("meeting_url"), bot_join_at=payload.get("join_at"))
    elif event["type"] == EventType.DATA_DELETED:
        data["deleted"] = payload.get("parts") or []
    return data


def body_for(event: dict) -> dict:
    return {
        "event": MEEMO_OF[event["type"]],
        "event_uuid": event["id"],
        "created_at": event["created_at"],
        "data": _data(event),
    }


def render(event: dict, *, secret: str, delivery_id: str, attempt: int, now: float) -> Rendered:
    body = json.dumps(body_for(event), separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(now)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": event["id"],
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret=secret, msg_id=event["id"], timestamp=timestamp, body=body),
    }
    return Rendered(body=body, headers=headers)
