"""Meeting BaaS's webhook format (compat/meetingbaas/renderer.py): `{event, data}` with the API key in
`x-meeting-baas-api-key`, the vendor's status codes, and `complete` with transcript, speakers and extra."""

import json

import pytest

from compat.meetingbaas import renderer
from compat.meetingbaas.ids import uuid_for
from tests.factories import BotFactory, ParticipantFactory, SegmentFactory, event_data
from webhooks.renderers import formats_accepting

pytestmark = pytest.mark.django_db
KEY = "ntl_the-api-key"


@pytest.fixture
def bot(db):
    return BotFactory(metadata={"deal": "42"}, dialect="meetingbaas")


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


def _render(event: dict) -> tuple[dict, dict]:
    rendered = renderer.render(event, secret=KEY, delivery_id="dlv_1", attempt=2, now=1770733800.0)
    return json.loads(rendered.body), rendered.headers


@pytest.mark.parametrize(
    ("old", "new", "recording_state", "end_reason", "code"),
    [
        ("queued", "joining", "not_recording", None, "joining_call"),
        ("joining", "waiting_room", "not_recording", None, "in_waiting_room"),
        ("waiting_room", "in_call", "recording", None, "in_call_recording"),
        ("waiting_room", "in_call", "not_recording", None, "in_call_not_recording"),
        ("in_call", "in_call", "paused", None, "recording_paused"),
        ("in_call", "in_call", "recording", None, "recording_resumed"),
        ("in_call", "leaving", "recording", None, "call_ended"),
        ("leaving", "post_processing", "not_recording", "left_by_request", "call_ended"),
        ("waiting_room", "ended", "not_recording", "admission_denied", "bot_rejected"),
        ("in_call", "ended", "not_recording", "removed_by_host", "bot_removed"),
        ("waiting_room", "ended", "not_recording", "waiting_room_timeout", "waiting_room_timeout"),
        ("joining", "ended", "not_recording", "invalid_meeting_url", "invalid_meeting_url"),
    ],
)
def test_status_changes_carry_the_vendors_codes(bot, old, new, recording_state, end_reason, code):
    body, headers = _render(
        _event(bot, "bot.status_changed", old_status=old, new_status=new, status=new,
               recording_state=recording_state, end_reason=end_reason)
    )  # fmt: skip
    assert body["event"] == "bot.status_change"
    assert body["data"]["bot_id"] == uuid_for(bot.id)
    assert body["data"]["status"]["code"] == code
    assert body["data"]["status"]["created_at"] == "2026-02-10T14:30:00.123Z"
    assert headers["x-meeting-baas-api-key"] == KEY and headers["Content-Type"] == "application/json"


def test_a_failure_is_a_failed_webhook_with_the_extra(bot):
    body, _ = _render(
        _event(bot, "bot.status_changed", old_status="joining", new_status="failed", status="failed",
               end_reason="meeting_not_found", message="No such meeting")
    )  # fmt: skip
    assert body == {
        "event": "failed",
        "data": {
            "bot_id": uuid_for(bot.id),
            "event_uuid": None,
            "error": "meeting_not_found",
            "message": "No such meeting",
            "extra": {"deal": "42"},
        },
    }


def test_the_end_of_processing_is_complete_and_a_transcript_transcription_complete(bot):
    ParticipantFactory(meeting=bot.meeting, name="Alice Smith")
    ParticipantFactory(meeting=bot.meeting, name="Bob Jones")
    words = [{"word": "Hi", "start_ms": 500, "end_ms": 900}, {"word": "all", "start_ms": 1000, "end_ms": 1500}]
    SegmentFactory(meeting=bot.meeting, speaker="Alice Smith", text="Hi all", start_ms=500, end_ms=1500, words=words)
    body, _ = _render(
        _event(bot, "bot.status_changed", old_status="post_processing", new_status="ended", status="ended",
               end_reason="left_by_request")
    )  # fmt: skip
    assert body["event"] == "complete"
    data = body["data"]
    assert (data["bot_id"], data["extra"]) == (uuid_for(bot.id), {"deal": "42"})
    assert data["speakers"] == ["Alice Smith", "Bob Jones"]
    assert data["transcript"] == [
        {"speaker": "Alice Smith", "offset": 0.5, "start_time": 0.5, "end_time": 1.5,
         "words": [{"word": "Hi", "start": 0.5, "end": 0.9}, {"word": "all", "start": 1.0, "end": 1.5}]}
    ]  # fmt: skip
    assert (data["mp4"], data["audio"]) == ("", "")
    for revision in (1, 2):
        ready, _ = _render(_event(bot, "transcript.ready", revision=revision))
        assert ready == {"event": "transcription_complete", "data": {"bot_id": uuid_for(bot.id)}}


def test_the_format_is_registered_for_the_events_it_carries():
    assert "meetingbaas" in formats_accepting("bot.status_changed")
    assert "meetingbaas" in formats_accepting("transcript.ready")
    assert "meetingbaas" not in formats_accepting("caption.partial")


def test_the_webhook_documentation_is_served(db):
    from tests.compat.test_meetingbaas_api import BASE, baas_client

    mb = baas_client("Webhook readers")
    everything = mb.get(f"{BASE}/bots/webhooks").json()
    assert set(everything["events"]) == {"bot.status_change", "failed", "complete", "transcription_complete",
                                         "calendar.sync_events"}  # fmt: skip
    assert "bot_rejected" in everything["events"]["bot.status_change"]["codes"]
    assert set(mb.get(f"{BASE}/bots/webhooks/bot").json()["events"]) == set(everything["events"]) - {
        "calendar.sync_events"
    }
    assert set(mb.get(f"{BASE}/bots/webhooks/calendar").json()["events"]) == {"calendar.sync_events"}
    assert mb.post(f"{BASE}/bots/webhooks").status_code == 405
