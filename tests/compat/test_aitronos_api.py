"""The Aitronos Meeting Buddy dialect (seed 002) as the docs' HTTP calls make it: the Session object,
its status vocabulary, stop (idempotent, DELETE and POST), transcripts, active analytics, errors."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from bots.models import Bot
from compat.aitronos.status import session_status_of
from tests.conftest import make_client
from tests.factories import ParticipantFactory, SegmentFactory

pytestmark = pytest.mark.django_db
BASE = "/compat/aitronos/v1/meeting-buddy"
MEET = "https://meet.google.com/abc-defg-hij"
SESSION_KEYS = {
    "session_id", "organization_id", "user_id", "meeting_link", "platform", "bot_name", "status",
    "transcription_enabled", "transcription_language", "debug_mode", "created_at", "updated_at",
    "join_timestamp", "leave_timestamp", "total_duration_seconds", "segment_count", "audio_file_count",
    "video_file_count", "total_size_bytes", "output_directory", "error_message", "error_code", "metadata",
    "current_participants", "participant_history",
}  # fmt: skip


@pytest.fixture
def buddy(db):
    keyed = make_client("Aitronos users")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {keyed.issued.key}")
    client.organization = keyed.organization
    return client


def create(client, **body):
    return client.post(f"{BASE}/sessions", {"meeting_link": MEET, **body}, format="json")


def bot_of(session: dict) -> Bot:
    return Bot.objects.get(pk="bot_" + session["session_id"].removeprefix("mbsess_"))


def test_create_answers_a_session_with_every_documented_key(buddy):
    answer = create(buddy, transcription_enabled=False, bot_name="Scribe")
    assert answer.status_code == 201
    session = answer.json()
    assert set(session) == SESSION_KEYS
    assert session["session_id"].startswith("mbsess_")
    assert (session["status"], session["platform"], session["bot_name"]) == ("initializing", "google_meet", "Scribe")
    assert (session["transcription_enabled"], session["transcription_language"]) == (False, "en")
    assert (session["metadata"], session["current_participants"], session["participant_history"]) == ({}, {}, [])
    assert session["join_timestamp"] is None and session["audio_file_count"] is None
    bot = bot_of(session)
    assert (bot.dialect, bot.bot_name, bot.settings["transcription"]["enabled"]) == ("aitronos", "Scribe", False)
    assert create(buddy, meeting_link="https://meet.google.com/xyz-abcd-efg").json()["bot_name"] == "Meeting Buddy"
    assert buddy.get(f"{BASE}/sessions/{session['session_id']}").json()["session_id"] == session["session_id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"meeting_link": "https://example.com/x"}, "meeting_link"),
        ({"transcription_enabled": "yes"}, "transcription_enabled"),
        ({"transcription_language": "xx"}, "transcription_language"),
        ({"debug": True}, "debug"),
    ],
)
def test_bad_input_is_a_400_in_the_aitronos_envelope_naming_the_field(buddy, body, field):
    answer = create(buddy, **body)
    assert answer.status_code == 400
    error = answer.json()
    assert error["success"] is False and error["error"]["status"] == 400
    assert field in error["error"]["details"] and field in error["error"]["message"]


def test_auth_unknown_ids_and_paths_answer_the_envelope(buddy):
    anon = APIClient()
    answer = anon.get(f"{BASE}/analytics/active")
    assert answer.status_code == 401 and answer.json()["error"]["type"] == "authentication_error"
    for path in (f"{BASE}/sessions/mbsess_nothing", f"{BASE}/sessions/bot_abc", f"{BASE}/sessions/", f"{BASE}/x"):
        answer = buddy.get(path)
        assert answer.status_code == 404 and answer.json()["success"] is False, path
    other = make_client("Elsewhere")
    theirs = APIClient()
    theirs.credentials(HTTP_AUTHORIZATION=f"Bearer {other.issued.key}")
    session_id = create(buddy).json()["session_id"]
    assert theirs.get(f"{BASE}/sessions/{session_id}").status_code == 404
    assert theirs.delete(f"{BASE}/sessions/{session_id}").status_code == 404


def test_stop_is_idempotent_by_delete_and_post(buddy):
    session_id = create(buddy).json()["session_id"]
    first = buddy.delete(f"{BASE}/sessions/{session_id}")
    assert first.status_code == 200 and first.json()["status"] == "completed"  # not yet started: ends at once
    again = buddy.post(f"{BASE}/sessions/{session_id}/stop")
    assert again.status_code == 200 and again.json()["status"] == "completed"
    assert again.json()["leave_timestamp"] is not None


def test_list_filters_by_session_status(buddy):
    running = create(buddy).json()["session_id"]
    stopped = create(buddy, meeting_link="https://meet.google.com/xyz-abcd-efg").json()["session_id"]
    buddy.delete(f"{BASE}/sessions/{stopped}")
    assert [s["session_id"] for s in buddy.get(f"{BASE}/sessions").json()] == [stopped, running]
    assert [s["session_id"] for s in buddy.get(f"{BASE}/sessions?status=completed").json()] == [stopped]
    assert [s["session_id"] for s in buddy.get(f"{BASE}/sessions?status=initializing").json()] == [running]
    assert buddy.get(f"{BASE}/sessions?status=asleep").status_code == 400
    assert buddy.get(f"{BASE}/sessions?colour=red").json()["error"]["details"] == {
        "colour": ["unknown query parameter"]
    }


def test_a_session_in_the_call_transcripts_and_analytics(buddy):
    session = create(buddy).json()
    bot = bot_of(session)
    joined = timezone.now()
    Bot.objects.filter(pk=bot.pk).update(status="in_call", recording_state="recording", joined_at=joined)
    alice = ParticipantFactory(meeting=bot.meeting, name="Alice", joined_at=joined)
    ParticipantFactory(meeting=bot.meeting, name="Bob", joined_at=joined, left_at=joined)
    SegmentFactory(meeting=bot.meeting, speaker="Bob", text="Later.", start_ms=5000, end_ms=6500, confidence=0.8)
    SegmentFactory(meeting=bot.meeting, speaker="Alice", text="First.", start_ms=1000, end_ms=2000)
    current = buddy.get(f"{BASE}/sessions/{session['session_id']}").json()
    assert current["status"] == "recording" and current["join_timestamp"].endswith("Z")
    assert current["current_participants"] == {
        alice.id: {"name": "Alice", "joined_at": current["join_timestamp"], "is_host": False}
    }
    transcripts = buddy.get(f"{BASE}/sessions/{session['session_id']}/transcripts").json()
    assert [(t["speaker"], t["text"], t["start_time"], t["end_time"]) for t in transcripts] == [
        ("Alice", "First.", 1.0, 2.0),
        ("Bob", "Later.", 5.0, 6.5),
    ]
    assert all(t["transcript_id"].startswith("mbtrans_") for t in transcripts) and transcripts[1]["confidence"] == 0.8
    [active] = buddy.get(f"{BASE}/analytics/active").json()
    assert active["session_id"] == session["session_id"] and active["platform"] == "meet"
    assert (active["status"], active["current_participants"]) == ("recording", ["Alice"])
    assert isinstance(active["duration_so_far_seconds"], float)
    stopping = buddy.post(f"{BASE}/sessions/{session['session_id']}/stop").json()
    assert stopping["status"] == "leaving"


@pytest.mark.parametrize(
    ("status", "recording", "end_reason", "joined", "leave", "word"),
    [
        ("queued", "not_recording", "", False, False, "initializing"),
        ("waiting_room", "not_recording", "", False, False, "joining"),
        ("in_call", "not_recording", "", True, False, "active"),
        ("in_call", "recording", "", True, False, "recording"),
        ("in_call", "recording", "", True, True, "leaving"),
        ("post_processing", "not_recording", "", True, True, "leaving"),
        ("ended", "not_recording", "everyone_left", True, False, "completed"),
        ("ended", "not_recording", "left_by_request", False, True, "completed"),
        ("ended", "not_recording", "admission_denied", False, False, "failed"),
        ("failed", "not_recording", "bot_crashed", True, False, "failed"),
    ],
)
def test_status_vocabulary(status, recording, end_reason, joined, leave, word):
    assert (
        session_status_of(
            status=status, recording_state=recording, end_reason=end_reason, joined=joined, leave_requested=leave
        )
        == word
    )
