"""The meetings API: list, detail, transcript in every format, participants, the event log, recordings."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from meetings.events import EventType, publish
from meetings.models import ParticipantEvent, Recording
from tests.factories import BotFactory, MeetingFactory, ParticipantFactory, SegmentFactory, event_data


@pytest.fixture
def meeting(api):
    meeting = MeetingFactory(
        organization=api.organization,
        title="Weekly sync",
        started_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    )
    BotFactory(meeting=meeting, status="ended")
    return meeting


@pytest.fixture
def segments(meeting):
    return [
        SegmentFactory(meeting=meeting, speaker="Alice", text="Good morning everyone.", start_ms=0, end_ms=2500),
        SegmentFactory(meeting=meeting, speaker="Alice", text="Let us start.", start_ms=2600, end_ms=3900),
        SegmentFactory(meeting=meeting, speaker="Bob", text="Sounds good.", start_ms=65_000, end_ms=66_250),
        SegmentFactory(meeting=meeting, speaker="", text="(inaudible)", start_ms=3_725_000, end_ms=3_726_000),
    ]


def test_list_and_detail(api, meeting):
    other = MeetingFactory(organization=api.organization)
    body = api.get("/api/v1/meetings").json()
    assert [m["id"] for m in body["results"]] == [other.id, meeting.id]
    assert body["next"] is None
    page = api.get("/api/v1/meetings?limit=1").json()
    assert [m["id"] for m in page["results"]] == [other.id]
    assert [m["id"] for m in api.get(page["next"]).json()["results"]] == [meeting.id]
    detail = api.get(f"/api/v1/meetings/{meeting.id}").json()
    assert detail["id"] == meeting.id and detail["title"] == "Weekly sync"
    assert detail["bot_ids"] == [meeting.bots.get().id]
    assert detail["platform"] == "google_meet" and detail["project"] == "api"
    assert detail["started_at"] == "2026-03-02T09:30:00Z"
    assert detail["last_sequence"] == 0


def test_transcript_json(api, meeting, segments):
    body = api.get(f"/api/v1/meetings/{meeting.id}/transcript").json()
    assert body["meeting_id"] == meeting.id
    assert [(s["speaker"], s["text"], s["start_ms"], s["end_ms"]) for s in body["segments"]] == [
        ("Alice", "Good morning everyone.", 0, 2500),
        ("Alice", "Let us start.", 2600, 3900),
        ("Bob", "Sounds good.", 65000, 66250),
        (None, "(inaudible)", 3725000, 3726000),
    ]
    assert api.get(f"/api/v1/meetings/{meeting.id}/transcript?format=json").json() == body


def test_transcript_shows_the_latest_revision_only(api, meeting, segments):
    SegmentFactory(meeting=meeting, speaker="Alice", text="Better words.", start_ms=0, end_ms=2500, revision=2)
    body = api.get(f"/api/v1/meetings/{meeting.id}/transcript").json()
    assert [s["text"] for s in body["segments"]] == ["Better words."]


def test_transcript_txt(api, meeting, segments):
    response = api.get(f"/api/v1/meetings/{meeting.id}/transcript?format=txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "[00:00] Alice: Good morning everyone.\n"
        "[00:02] Alice: Let us start.\n"
        "[01:05] Bob: Sounds good.\n"
        "[01:02:05] Unknown: (inaudible)\n"
    )


def test_transcript_srt(api, meeting, segments):
    response = api.get(f"/api/v1/meetings/{meeting.id}/transcript?format=srt")
    assert response["Content-Type"].startswith("application/x-subrip")
    text = response.content.decode()
    assert text.startswith("1\n00:00:00,000 --> 00:00:02,500\nAlice: Good morning everyone.\n\n2\n")
    assert "3\n00:01:05,000 --> 00:01:06,250\nBob: Sounds good.\n" in text
    assert "4\n01:02:05,000 --> 01:02:06,000\n(inaudible)\n" in text


def test_transcript_vtt(api, meeting, segments):
    response = api.get(f"/api/v1/meetings/{meeting.id}/transcript?format=vtt")
    assert response["Content-Type"].startswith("text/vtt")
    text = response.content.decode()
    assert text.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n<v Alice>Good morning everyone.\n")
    assert "00:01:05.000 --> 00:01:06.250\n<v Bob>Sounds good.\n" in text


def test_transcript_md_groups_a_speakers_lines(api, meeting, segments):
    response = api.get(f"/api/v1/meetings/{meeting.id}/transcript?format=md")
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    assert text.startswith("# Weekly sync\n\n*2026-03-02 09:30 UTC*\n")
    assert "**Alice** (00:00)\n\nGood morning everyone.\nLet us start.\n" in text
    assert text.count("**Alice**") == 1
    assert "**Bob** (01:05)\n\nSounds good." in text
    assert "**Unknown**" in text


def test_transcript_of_a_meeting_without_words(api, meeting):
    assert api.get(f"/api/v1/meetings/{meeting.id}/transcript").json()["segments"] == []
    assert api.get(f"/api/v1/meetings/{meeting.id}/transcript?format=txt").content == b""


def test_unknown_transcript_format_is_400(api, meeting):
    response = api.get(f"/api/v1/meetings/{meeting.id}/transcript?format=docx")
    assert response.status_code == 400
    assert "format" in response.json()["error"]["fields"]


def test_participants_with_speaking_time(api, meeting):
    now = timezone.now()
    alice = ParticipantFactory(meeting=meeting, name="Alice", is_host=True, joined_at=now)
    bob = ParticipantFactory(meeting=meeting, name="Bob", joined_at=now, left_at=now + timedelta(minutes=5))
    for person, kind, offset in [
        (alice, "join", 0),
        (alice, "speech_start", 1000),
        (alice, "speech_stop", 4000),
        (alice, "speech_start", 10_000),
        (alice, "speech_stop", 12_500),
        (bob, "join", 500),
        (bob, "speech_start", 5000),
        (bob, "speech_stop", 6000),
        (bob, "leave", 300_000),
    ]:
        ParticipantEvent.objects.create(
            meeting=meeting, participant=person, kind=kind, offset_ms=offset, occurred_at=now
        )
    body = api.get(f"/api/v1/meetings/{meeting.id}/participants").json()
    by_name = {p["name"]: p for p in body}
    assert set(by_name) == {"Alice", "Bob"}
    assert by_name["Alice"]["speaking_ms"] == 5500 and by_name["Alice"]["is_host"] is True
    assert by_name["Bob"]["speaking_ms"] == 1000 and by_name["Bob"]["left_at"]
    assert [e["kind"] for e in by_name["Bob"]["events"]] == ["join", "speech_start", "speech_stop", "leave"]


def test_events_after_n(api, meeting):
    for n in range(5):
        publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, offset_ms=n))
    body = api.get(f"/api/v1/meetings/{meeting.id}/events").json()
    assert body["last_sequence"] == 5 and body["after"] == 0
    assert [e["sequence"] for e in body["events"]] == [1, 2, 3, 4, 5]
    first = body["events"][0]
    assert first["type"] == "participant.joined" and first["meeting_id"] == meeting.id
    assert first["data"] == event_data(EventType.PARTICIPANT_JOINED, offset_ms=0)
    assert first["id"].startswith("evt_") and first["created_at"].endswith("Z")
    later = api.get(f"/api/v1/meetings/{meeting.id}/events?after=3").json()
    assert [e["sequence"] for e in later["events"]] == [4, 5] and later["after"] == 3
    assert api.get(f"/api/v1/meetings/{meeting.id}/events?after=5").json()["events"] == []
    limited = api.get(f"/api/v1/meetings/{meeting.id}/events?after=1&limit=2").json()
    assert [e["sequence"] for e in limited["events"]] == [2, 3]


@pytest.mark.parametrize("query", ["after=-1", "after=abc", "limit=0", "limit=5000"])
def test_bad_event_parameters_are_400(api, meeting, query):
    response = api.get(f"/api/v1/meetings/{meeting.id}/events?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["error"]["fields"]


def test_recording_states(api, meeting):
    body = api.get(f"/api/v1/meetings/{meeting.id}/recording").json()
    assert body == {"meeting_id": meeting.id, "status": "none", "recordings": []}

    live = MeetingFactory(organization=api.organization)
    BotFactory(meeting=live, status="in_call", joined_at=timezone.now())
    assert api.get(f"/api/v1/meetings/{live.id}/recording").json()["status"] == "pending"

    Recording.objects.create(
        meeting=meeting, kind="audio", format="mp3", file="recordings/m.mp3", duration_ms=61_000, size_bytes=977
    )
    body = api.get(f"/api/v1/meetings/{meeting.id}/recording").json()
    assert body["status"] == "ready"
    [recording] = body["recordings"]
    assert recording["url"].startswith("http://testserver/media/recordings/m.mp3?token=")
    assert recording["url_expires_at"]
    assert (recording["kind"], recording["format"], recording["duration_ms"]) == ("audio", "mp3", 61_000)
