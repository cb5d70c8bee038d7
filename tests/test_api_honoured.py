"""Nothing accepted and ignored: every setting and filter is honoured, or refused with a 400 naming it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bots.leave_rules import LeaveRules
from bots.models import Bot
from meetings.models import Meeting, Recording
from tests.factories import BotFactory, MeetingFactory, ParticipantFactory

MEET = "https://meet.google.com/abc-defg-hij"
LATER = "2099-01-01T10:00:00Z"


def _fields(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


# --- automatic_leave ----------------------------------------------------------------------------------


def test_zero_or_null_turns_a_leave_rule_off_and_it_stays_off(api):
    leave = {"silence_timeout": 0, "max_duration": None, "everyone_left_timeout": 30}
    bot = api.post("/api/v1/bots", {"meeting_url": MEET, "join_at": LATER, "automatic_leave": leave}).json()
    stored = Bot.objects.get(pk=bot["id"]).settings["automatic_leave"]
    assert stored["silence_timeout"] == 0 and stored["max_duration"] == 0 and stored["everyone_left_timeout"] == 30
    rules = LeaveRules.from_settings(stored)
    assert rules.silence_timeout is None and rules.max_duration is None
    assert rules.everyone_left_timeout == 30 and rules.waiting_room_timeout == 600

    changed = api.patch(f"/api/v1/bots/{bot['id']}", {"automatic_leave": {"waiting_room_timeout": None}})
    assert changed.status_code == 200, changed.content
    rules = LeaveRules.from_settings(Bot.objects.get(pk=bot["id"]).settings["automatic_leave"])
    assert rules.waiting_room_timeout is None and rules.silence_timeout is None and rules.max_duration is None
    assert changed.json()["settings"]["automatic_leave"]["silence_timeout"] == 0


@pytest.mark.parametrize("value", [86401, -1, 1.5, "60", True])
def test_a_leave_rule_out_of_range_is_400_naming_it(api, value):
    fields = _fields(api.post("/api/v1/bots", {"meeting_url": MEET, "automatic_leave": {"max_duration": value}}))
    assert "automatic_leave" in fields


# --- transcription --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "transcription,field",
    [
        ({"language": "de"}, "language"),  # the default model is tiny.en
        ({"model": "tiny.en", "language": "fr"}, "language"),
        ({"model": "base", "language": "klingon"}, "language"),
        ({"model": "large-v9"}, "model"),
        ({"model": "/etc/passwd"}, "model"),
        ({"backend": "openai-compatible"}, "backend"),
        ({"backend": "captions", "model": "base"}, "model"),
        ({"backend": "sphinx"}, "backend"),
    ],
)
def test_transcription_the_server_cannot_do_is_refused_at_creation(api, transcription, field):
    fields = _fields(api.post("/api/v1/bots", {"meeting_url": MEET, "transcription": transcription}))
    assert field in fields["transcription"], fields
    assert not Bot.objects.exists()


@pytest.mark.parametrize(
    "transcription",
    [
        {"language": "en"},
        {"language": "auto"},
        {"model": "tiny.en", "language": "en"},
        {"model": "base", "language": "de"},
        {"backend": "openai-whisper", "model": "base", "language": "auto"},
        {"backend": "captions"},
        {"enabled": False},
    ],
)
def test_transcription_the_server_can_do_is_accepted_and_stored(api, transcription):
    response = api.post("/api/v1/bots", {"meeting_url": MEET, "transcription": transcription})
    assert response.status_code == 201, response.content
    stored = response.json()["settings"]["transcription"]
    assert {k: stored[k] for k in transcription} == transcription


def test_openai_compatible_is_accepted_once_configured(api, settings):
    settings.ASR_API_URL = "https://asr.example.com"
    transcription = {"backend": "openai-compatible", "model": "whisper-1", "language": "de"}
    response = api.post("/api/v1/bots", {"meeting_url": MEET, "transcription": transcription})
    assert response.status_code == 201, response.content


def test_a_patch_that_breaks_the_transcription_is_refused(api):
    bot = api.post("/api/v1/bots", {"meeting_url": MEET, "join_at": LATER, "transcription": {"model": "base"}}).json()
    assert api.patch(f"/api/v1/bots/{bot['id']}", {"transcription": {"language": "de"}}).status_code == 200
    fields = _fields(api.patch(f"/api/v1/bots/{bot['id']}", {"transcription": {"model": "tiny.en"}}))
    assert "language" in fields["transcription"]


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"file_url": "https://files.example.com/a.mp3", "language": "de"}, "language"),
        ({"file_url": "https://files.example.com/a.mp3", "model": "huge"}, "model"),
        ({"file_url": "https://files.example.com/a.mp3", "backend": "openai-compatible"}, "backend"),
        ({"file_url": "https://files.example.com/a.mp3", "backend": "captions"}, "backend"),
        ({"file_url": "https://files.example.com/a.mp3", "speakers": 2}, "speakers"),
    ],
)
def test_imports_refuse_what_they_cannot_honour(api, payload, field):
    assert field in _fields(api.post("/api/v1/meetings", payload))
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"model": "tiny.en", "language": "es"}, "language"),
        ({"model": "nope"}, "model"),
        ({"backend": "openai-compatible"}, "backend"),
        ({"language": "en", "revision": 3}, "revision"),
    ],
)
def test_retranscribe_refuses_what_it_cannot_honour(api, payload, field):
    meeting = MeetingFactory(organization=api.organization)
    Recording.objects.create(meeting=meeting, kind="audio", format="flac", file="recordings/x.flac")
    assert field in _fields(api.post(f"/api/v1/meetings/{meeting.id}/retranscribe", payload))


# --- list filters -------------------------------------------------------------------------------------------


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_every_bot_filter_the_docs_name_works(api):
    now = timezone.now()
    standup = BotFactory(
        meeting=MeetingFactory(organization=api.organization, meeting_url="https://meet.google.com/abc-defg-hij"),
        bot_name="Standup notes",
        status="ended",
        ended_at=now - timedelta(hours=3),
        metadata={"deal": 42, "vip": True, "team": "a"},
    )
    sales = BotFactory(
        meeting=MeetingFactory(organization=api.organization, meeting_url="https://zoom.us/j/81234567890"),
        platform="zoom",
        bot_name="Sales call",
        status="ended",
        ended_at=now - timedelta(minutes=5),
        metadata={"deal": "42", "vip": False, "score": 4.5},
    )
    running = BotFactory(meeting=MeetingFactory(organization=api.organization), bot_name="Sales review")
    ParticipantFactory(meeting=standup.meeting, name="Alice Smith")
    ParticipantFactory(meeting=sales.meeting, name="Bob Jones")

    assert set(_ids(api.get("/api/v1/bots?bot_name=sales"))) == {sales.id, running.id}
    assert _ids(api.get("/api/v1/bots?speaker_name=alice")) == [standup.id]
    assert _ids(api.get("/api/v1/bots?meeting_url=zoom.us")) == [sales.id]
    hour_ago = (now - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert _ids(api.get(f"/api/v1/bots?ended_after={hour_ago}")) == [sales.id]
    assert _ids(api.get(f"/api/v1/bots?ended_before={hour_ago}")) == [standup.id]
    assert set(_ids(api.get("/api/v1/bots?metadata.deal=42"))) == {standup.id, sales.id}
    assert _ids(api.get("/api/v1/bots?metadata.vip=true")) == [standup.id]
    assert _ids(api.get("/api/v1/bots?metadata.vip=false")) == [sales.id]
    assert _ids(api.get("/api/v1/bots?metadata.score=4.5")) == [sales.id]
    assert _ids(api.get("/api/v1/bots?metadata.team=a&bot_name=standup")) == [standup.id]
    assert _ids(api.get("/api/v1/bots?metadata.team=b")) == []


def test_every_meeting_filter_works(api):
    now = timezone.now()
    call = MeetingFactory(organization=api.organization, title="Weekly planning", status="completed")
    upload = MeetingFactory(organization=api.organization, title="Interview", source="file", platform="")
    old = MeetingFactory(organization=api.organization, title="Old planning", status="failed")
    Meeting.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=3))
    MeetingFactory(title="Weekly planning")  # another organization's

    assert set(_ids(api.get("/api/v1/meetings?title=planning"))) == {call.id, old.id}
    assert _ids(api.get("/api/v1/meetings?source=file")) == [upload.id]
    assert set(_ids(api.get("/api/v1/meetings?status=completed,failed"))) == {call.id, old.id}
    assert _ids(api.get("/api/v1/meetings?platform=google_meet&status=completed")) == [call.id]
    day_ago = (now - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert set(_ids(api.get(f"/api/v1/meetings?created_after={day_ago}"))) == {call.id, upload.id}
    assert _ids(api.get(f"/api/v1/meetings?created_before={day_ago}")) == [old.id]
    assert "status" in _fields(api.get("/api/v1/meetings?status=finished"))


# --- webhook formats -----------------------------------------------------------------------------------------


def test_a_sasha_endpoint_takes_only_the_event_types_sasha_carries(api):
    url = "https://hooks.example.com/sasha"
    ok = api.post("/api/v1/webhooks", {"url": url, "format": "sasha", "event_types": ["caption.partial"]})
    assert ok.status_code == 201, ok.content
    error = api.post("/api/v1/webhooks", {"url": url, "format": "sasha", "event_types": ["speaker_changed"]})
    fields = _fields(error)
    assert "speaker.changed" in fields["event_types"][0]  # the alias, named as it is now
    assert "native" in error.json()["error"]["message"]
    native = api.post("/api/v1/webhooks", {"url": url, "event_types": ["speaker_changed"]}).json()
    assert "event_types" in _fields(api.patch(f"/api/v1/webhooks/{native['id']}", {"format": "sasha"}))
    assert api.get(f"/api/v1/webhooks/{native['id']}").json()["format"] == "native"
