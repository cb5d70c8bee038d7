"""The Sasha callback format (compat/sasha/renderer.py), checked by the verifier of Sasha's own
documentation, which shares no code with the signer."""

import hashlib
import hmac
import json
import time

import pytest

from compat.sasha import renderer as sasha
from compat.sasha.ids import sasha_meeting_id
from meetings.events import CATALOGUE, EventType, event_to_dict, publish
from tests.factories import MeetingFactory, event_data
from webhooks.renderers import RENDERERS, native
from webhooks.services import endpoint_secret

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db):
    return MeetingFactory()


@pytest.fixture
def event(meeting):
    return event_to_dict(
        publish(
            meeting,
            EventType.SEGMENT_FINALIZED,
            event_data(EventType.SEGMENT_FINALIZED, speaker="Alice", text="Hello, world"),
            bot_id="bot_x",
        )
    )


def _sasha_verify(body: bytes, signature: str, secret: str) -> bool:
    # The verification snippet of the Sasha documentation, as an integrator copies it.
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature, expected)


def test_sasha_body_headers_and_signature(event, meeting):
    secret = endpoint_secret()
    rendered = sasha.render(event, secret=secret, delivery_id="dlv_9", attempt=2, now=time.time())
    assert _sasha_verify(rendered.body, rendered.headers["X-Sasha-Signature"], secret)
    assert not _sasha_verify(rendered.body + b" ", rendered.headers["X-Sasha-Signature"], secret)
    assert rendered.headers["X-Sasha-Signature"] == rendered.headers["X-Sasha-Signature"].lower()
    body = json.loads(rendered.body)
    assert list(body) == ["type", "meetingId", "sequence", "timestamp", "payload"]
    assert body["type"] == "segment_finalized" == rendered.headers["X-Sasha-Event"]
    assert body["meetingId"] == sasha_meeting_id(meeting) == rendered.headers["X-Sasha-Meeting-Id"]
    assert body["meetingId"].startswith("meeting_") and body["meetingId"].endswith(meeting.id[4:])
    assert body["sequence"] == 1
    assert body["timestamp"].endswith("Z") and len(body["timestamp"]) == len("2026-02-10T14:30:00.000Z")
    assert body["payload"]["speaker"] == "Alice" and body["payload"]["text"] == "Hello, world"
    assert rendered.headers["X-Sasha-Delivery-Id"] == "dlv_9.2"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("joining", "joining"),
        ("waiting_room", "lobby"),
        ("in_call", "live"),
        ("leaving", "leaving"),
        ("post_processing", "leaving"),
        ("ended", "ended"),
        ("failed", "error"),
    ],
)
def test_sasha_meeting_status(meeting, status, expected):
    event = {
        "id": "evt_1",
        "type": "bot.status_changed",
        "meeting_id": meeting.id,
        "bot_id": "bot_1",
        "sequence": 3,
        "created_at": "2026-02-10T14:30:00.123456Z",
        "data": {"old_status": "joining", "new_status": status, "end_reason": None, "message": None},
    }
    body = json.loads(sasha.render(event, secret="s", delivery_id="d", attempt=1, now=0).body)
    assert body["type"] == "meeting_status"
    assert body["payload"]["status"] == expected
    assert isinstance(body["payload"]["message"], str) and body["payload"]["message"]
    assert body["timestamp"] == "2026-02-10T14:30:00.123Z"


def test_sasha_carries_only_its_event_types():
    assert sasha.accepts("participant.joined") and sasha.accepts("bot.status_changed")
    assert not sasha.accepts("recording.ready") and not sasha.accepts("chat_message")
    assert all(native.accepts(t) for t in EventType.ALL)
    # Sasha's own wire names, whatever Notula calls its events.
    assert sasha.TYPES == {
        "bot.status_changed": "meeting_status",
        "caption.partial": "caption_partial",
        "segment.finalized": "segment_finalized",
        "coach.insight": "coach_insight",
        "participant.joined": "participant_joined",
        "participant.left": "participant_left",
        "document.saved": "document_saved",
    }
    assert not any(sasha.accepts(t) for t in EventType.ALL if CATALOGUE[t].scope == "organization")
    assert set(RENDERERS) == {"native", "sasha", "meetstream", "meetstream_live", "meetingbaas", "meemo"}


def _sasha_payload(event_type: str, data: dict) -> dict:
    event = {
        "id": "evt_1",
        "type": event_type,
        "meeting_id": MeetingFactory().id,
        "bot_id": None,
        "sequence": 1,
        "created_at": "2026-02-10T14:30:00Z",
        "data": data,
    }
    return json.loads(sasha.render(event, secret="s", delivery_id="d", attempt=1, now=0).body)["payload"]


def test_sasha_payloads_carry_the_fields_its_clients_read():
    segment = _sasha_payload(
        "segment.finalized", {"speaker": None, "text": "Hi.", "started_at": "2026-02-10T14:29:58.123456Z"}
    )
    assert segment["speaker"] == "Unknown" and segment["text"] == "Hi."
    assert segment["timestamp"] == "2026-02-10T14:29:58.123Z"
    insight = _sasha_payload("coach.insight", {"category": "monologue", "message": "Ann has spoken 90 s."})
    assert insight["category"] == "monologue" and insight["text"] == "Ann has spoken 90 s."
    document = _sasha_payload("document.saved", {"kind": "transcript", "path": "documents/p/m.md", "segments": 7})
    assert document["documentPath"] == "documents/p/m.md"
    assert document["segmentsWritten"] == document["totalSegments"] == 7
    joined = _sasha_payload("participant.joined", {"participant_id": "par_1", "name": "Ann", "is_host": True})
    assert joined == {"participantId": "par_1", "name": "Ann", "isHost": True}
