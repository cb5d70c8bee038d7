"""The MeetStream callback format (compat/meetstream/renderer.py): the current shape with the seed's
legacy fields alongside, checked by the verification MeetStream documents (HMAC-SHA256 of the raw
body keyed with the secret as text, `sha256=` prefix or bare hex), which shares no code with the signer."""

import hashlib
import hmac
import json

import pytest

from compat.meetstream import renderer
from tests.factories import BotFactory, event_data

pytestmark = pytest.mark.django_db


def _documented_verify(body: bytes, signature: str, secret: str) -> bool:
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.removeprefix("sha256=").strip())


@pytest.fixture
def bot(db):
    return BotFactory(metadata={"deal": "42"})


def _event(bot, type: str, **data) -> dict:
    return {
        "id": "evt_1",
        "type": type,
        "meeting_id": bot.meeting_id,
        "bot_id": bot.id,
        "sequence": 4,
        "created_at": "2026-02-10T14:30:00.123456Z",
        "data": event_data(type, **data),
    }


def _render(event: dict, secret: str = "whsec_abc") -> tuple[dict, dict, bytes]:
    rendered = renderer.render(event, secret=secret, delivery_id="dlv_1", attempt=2, now=1770733800.0)
    return json.loads(rendered.body), rendered.headers, rendered.body


@pytest.mark.parametrize(
    ("old", "new", "end_reason", "event", "status", "code"),
    [
        ("queued", "joining", None, "bot.joining", "Joining", 102),
        ("joining", "waiting_room", None, "bot.in_waiting_room", "InWaitingRoom", 102),
        ("waiting_room", "in_call", None, "bot.inmeeting", "InMeeting", 200),
        ("in_call", "leaving", None, "bot.leaving", "Leaving", 200),
        ("leaving", "post_processing", "left_by_request", "bot.stopped", "Stopped", 200),
        ("post_processing", "ended", "left_by_request", "bot.done", "Stopped", 200),
        ("waiting_room", "ended", "admission_denied", "bot.stopped", "Denied", 200),
        ("waiting_room", "ended", "waiting_room_timeout", "bot.stopped", "NotAllowed", 200),
        ("in_call", "failed", "bot_crashed", "bot.stopped", "Error", 200),
    ],
)
def test_status_changes_in_meetstreams_words(bot, old, new, end_reason, event, status, code):
    body, headers, raw = _render(
        _event(bot, "bot.status_changed", old_status=old, new_status=new, status=new, end_reason=end_reason)
    )
    assert (body["event"], body["bot_event"], body["bot_status"]) == (event, event, status)
    assert body["status_code"] == code
    assert body["bot_id"] == bot.id and body["custom_attributes"] == {"deal": "42"}
    assert body["timestamp"] == "2026-02-10T14:30:00.123456Z" and body["message"]
    assert _documented_verify(raw, headers["X-MeetStream-Signature"], "whsec_abc")
    assert not _documented_verify(raw + b" ", headers["X-MeetStream-Signature"], "whsec_abc")
    assert headers["X-MeetStream-Timestamp"] == "2026-02-10T14:30:00Z"


def test_processing_events_carry_the_legacy_fields(bot):
    audio, _, _ = _render(_event(bot, "recording.ready", kind="audio"))
    assert (audio["event"], audio["audio_status"]) == ("audio.processed", "Success")
    transcript, _, _ = _render(_event(bot, "transcript.ready"))
    assert (transcript["event"], transcript["transcript_status"]) == ("transcription.processed", "Success")
    assert transcript["transcript_id"] == bot.meeting_id
    deleted, _, _ = _render(_event(bot, "data.deleted", status="deleted", parts=["audio", "transcript"]))
    assert deleted["event"] == "data_deletion"
    assert deleted["data_deletion"] == {"status": "deleted", "deleted_objects": ["audio", "transcript"]}


def test_only_meetstreams_events_are_sent():
    assert renderer.accepts("bot.status_changed") and renderer.accepts("transcript.ready")
    assert not renderer.accepts("segment.finalized") and not renderer.accepts("participant.joined")


def test_any_webhook_endpoint_may_choose_the_meetstream_format(api):
    url = "https://hooks.example.com/meetstream"
    made = api.post("/api/v1/webhooks", {"url": url, "format": "meetstream", "event_types": ["transcript.ready"]})
    assert made.status_code == 201 and made.json()["format"] == "meetstream"
    refused = api.post("/api/v1/webhooks", {"url": url, "format": "meetstream", "event_types": ["segment.finalized"]})
    assert refused.status_code == 400 and "event_types" in str(refused.json()["error"]["fields"])


def test_live_transcription_frames_in_meetstreams_shape(bot):
    from compat.meetstream import live_renderer

    words = [{"word": "Hello", "start_ms": 1000, "end_ms": 1400, "probability": 0.9}]
    final = _event(bot, "segment.finalized", speaker="Alice", text="Hello", words=words)
    rendered = live_renderer.render(final, secret="whsec_abc", delivery_id="d", attempt=1, now=0)
    frame = json.loads(rendered.body)
    assert list(frame) == [
        "bot_id",
        "speakerName",
        "timestamp",
        "new_text",
        "transcript",
        "words",
        "word_is_final",
        "end_of_turn",
    ]
    assert (frame["bot_id"], frame["speakerName"], frame["transcript"]) == (bot.id, "Alice", "Hello")
    assert frame["words"] == [{"word": "Hello", "start": 1.0, "end": 1.4, "confidence": 0.9}]
    assert frame["word_is_final"] is True and frame["end_of_turn"] is True
    assert _documented_verify(rendered.body, rendered.headers["X-MeetStream-Signature"], "whsec_abc")
    partial = live_renderer.frame_for(_event(bot, "caption.partial", text="Hel", is_final=False))
    assert (partial["new_text"], partial["word_is_final"], partial["end_of_turn"]) == ("Hel", False, False)
    assert not live_renderer.accepts("bot.status_changed")
