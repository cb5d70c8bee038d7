"""MeetStream's live transcription frames, for `live_transcription_required.webhook_url` (the webhook
format `meetstream_live`): one POST per partial caption and per final segment,
`{bot_id, speakerName, timestamp, new_text, transcript, words[], word_is_final, end_of_turn}` (seed 003);
and for `recording_config.realtime_endpoints`, one POST per participant joining or leaving,
`{event: "participant_events.join" | "participant_events.leave", bot_id, timestamp, participant: {id, name,
external_id, is_host}}`. Each endpoint subscribes to its own event types; all are signed as MeetStream's
callbacks are (`X-MeetStream-Signature`, `X-MeetStream-Timestamp`)."""

import json
from datetime import UTC, datetime

from compat.meetstream.renderer import USER_AGENT, signature
from meetings.events.catalogue import EventType
from webhooks.renderers.base import Rendered

TRANSCRIPT_TYPES = (EventType.CAPTION_PARTIAL, EventType.SEGMENT_FINALIZED)
PARTICIPANT_EVENTS = {
    EventType.PARTICIPANT_JOINED: "participant_events.join",
    EventType.PARTICIPANT_LEFT: "participant_events.leave",
}
ACCEPTED = (*TRANSCRIPT_TYPES, *PARTICIPANT_EVENTS)


def accepts(event_type: str) -> bool:
    return event_type in ACCEPTED


def participant_frame(event: dict) -> dict:
    data = event.get("data") or {}
    return {
        "event": PARTICIPANT_EVENTS[event["type"]],
        "bot_id": event.get("bot_id") or "",
        "timestamp": data.get("at") or event["created_at"],
        "participant": {
            "id": data.get("participant_id"),
            "name": data.get("name") or "",
            "external_id": data.get("external_id"),
            "is_host": bool(data.get("is_host")),
        },
    }


def frame_for(event: dict) -> dict:
    data = event.get("data") or {}
    final = event["type"] == EventType.SEGMENT_FINALIZED or bool(data.get("is_final"))
    text = data.get("text") or ""
    return {
        "bot_id": event.get("bot_id") or "",
        "speakerName": data.get("speaker") or "Unknown",
        "timestamp": data.get("started_at") or event["created_at"],
        # Notula sends the utterance as a whole each time: the new text is all of it.
        "new_text": text,
        "transcript": text,
        "words": [
            {
                "word": w["word"],
                "start": w["start_ms"] / 1000,
                "end": w["end_ms"] / 1000,
                "confidence": w["probability"],
            }
            for w in data.get("words") or []
        ],
        "word_is_final": final,
        "end_of_turn": event["type"] == EventType.SEGMENT_FINALIZED,
    }


def render(event: dict, *, secret: str, delivery_id: str, attempt: int, now: float) -> Rendered:
    shaped = participant_frame(event) if event["type"] in PARTICIPANT_EVENTS else frame_for(event)
    body = json.dumps(shaped, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-MeetStream-Signature": signature(secret=secret, body=body),
        "X-MeetStream-Timestamp": datetime.fromtimestamp(now, UTC).isoformat().replace("+00:00", "Z"),
        "X-MeetStream-Delivery-Id": f"{delivery_id}.{attempt}",
    }
    return Rendered(body=body, headers=headers)
