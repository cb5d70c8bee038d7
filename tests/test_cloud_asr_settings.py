"""Choosing a cloud provider: a bot's provider key (checked, stored encrypted, never shown again),
the server's own key, and a live transcript that ends `failed` with the reason when the provider
cannot be used, never complete with its words missing."""

import json

import pytest

from accounts.crypto import secret_decrypt
from accounts.models import TranscriptionKey
from bots.models import Bot
from bots.postprocess import _finish_transcript
from bots.services import bot_settings_merge
from bots.sinks import SinkFanout
from meetings.models import Meeting, MeetingEvent
from meetings.timeline import SpeakerTimeline
from meetings.transcription.streaming import StreamingTranscriber
from meetings.transcripts import live_transcriber_start
from tests.factories import BotFactory

MEET = "https://meet.google.com/abc-defg-hij"
KEY = "dg-secret-0123456789abcdef"


@pytest.fixture(autouse=True)
def no_server_keys(settings):
    settings.DEEPGRAM_API_KEY = settings.ASSEMBLYAI_API_KEY = ""


@pytest.mark.parametrize("backend", ["deepgram", "assemblyai"])
def test_a_cloud_backend_without_any_key_is_400_naming_api_key(api, backend):
    response = api.post("/api/v1/bots", {"meeting_url": MEET, "transcription": {"backend": backend}}, format="json")
    assert response.status_code == 400, response.content
    assert "api_key" in response.json()["error"]["fields"]["transcription"]
    assert not Bot.objects.exists()


def test_the_bots_key_is_stored_encrypted_and_never_shown_again(api):
    transcription = {"backend": "deepgram", "api_key": KEY, "language": "de"}
    response = api.post("/api/v1/bots", {"meeting_url": MEET, "transcription": transcription}, format="json")
    assert response.status_code == 201, response.content
    shown = response.json()["settings"]["transcription"]
    assert shown["backend"] == "deepgram" and shown["language"] == "de"
    assert KEY not in response.content.decode() and "api_key" not in json.dumps(shown)
    detail = api.get(f"/api/v1/bots/{response.json()['id']}")
    assert KEY not in detail.content.decode() and "api_key" not in json.dumps(detail.json()["settings"])
    bot = Bot.objects.get(pk=response.json()["id"])
    assert KEY not in json.dumps(bot.settings)
    assert secret_decrypt(bot.settings["transcription"]["api_key_encrypted"]) == KEY


def test_a_change_of_settings_keeps_the_stored_key(api, settings):
    settings.DEEPGRAM_API_KEY = ""
    body = {"meeting_url": MEET, "join_at": "2099-01-01T10:00:00+00:00"}
    body["transcription"] = {"backend": "deepgram", "api_key": KEY}
    created = api.post("/api/v1/bots", body, format="json").json()
    response = api.patch(f"/api/v1/bots/{created['id']}", {"transcription": {"partials": False}}, format="json")
    assert response.status_code == 200, response.content
    stored = Bot.objects.get(pk=created["id"]).settings["transcription"]
    assert secret_decrypt(stored["api_key_encrypted"]) == KEY and stored["partials"] is False


def test_the_servers_own_key_serves_bots_without_one(api, settings):
    settings.ASSEMBLYAI_API_KEY = "server-key"
    response = api.post(
        "/api/v1/bots", {"meeting_url": MEET, "transcription": {"backend": "assemblyai"}}, format="json"
    )
    assert response.status_code == 201, response.content


def test_an_import_with_an_unconfigured_provider_is_400_naming_backend(api):
    response = api.post(
        "/api/v1/meetings", {"file_url": "https://example.com/a.wav", "backend": "deepgram"}, format="json"
    )
    assert response.status_code == 400, response.content
    assert "deepgram" in response.json()["error"]["fields"]["backend"][0]


@pytest.mark.django_db(transaction=True)
def test_a_provider_that_cannot_be_reached_ends_the_transcript_failed_with_the_reason(settings):
    settings.DEEPGRAM_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.CLOUD_ASR_ATTEMPTS, settings.CLOUD_ASR_RETRY_BASE_S, settings.CLOUD_ASR_FALLBACK = 2, 0.01, False
    bot = BotFactory()
    bot.settings = bot_settings_merge(None, {"transcription": {"backend": "deepgram", "api_key": KEY}})
    bot.save()
    transcriber = live_transcriber_start(
        meeting=bot.meeting, settings=bot.settings["transcription"], timeline=SpeakerTimeline(), bot_id=bot.id
    )
    assert isinstance(transcriber, StreamingTranscriber) and transcriber.options.api_key == KEY
    for offset_ms in range(0, 1000, 100):
        transcriber.write(bytes(3200), offset_ms)
    _finish_transcript(bot, SinkFanout([transcriber]))

    meeting = Meeting.objects.get(pk=bot.meeting_id)
    assert meeting.status == Meeting.Status.FAILED
    assert "Deepgram could not be reached" in meeting.failure_reason and "2 of 2 tries" in meeting.failure_reason
    failed = MeetingEvent.objects.get(meeting=meeting, type="transcript.failed")
    assert failed.payload["reason"] == meeting.failure_reason
    assert not MeetingEvent.objects.filter(meeting=meeting, type="transcript.ready").exists()


@pytest.mark.django_db(transaction=True)  # the live transcriber starts with close_old_connections()
def test_an_organizations_key_is_stored_encrypted_listed_without_it_and_serves_its_bots(api, other_api):
    response = api.post("/api/v1/transcription_keys", {"provider": "deepgram", "api_key": KEY}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["provider"] == "deepgram" and KEY not in response.content.decode()
    listed = api.get("/api/v1/transcription_keys")
    assert [k["provider"] for k in listed.json()] == ["deepgram"] and KEY not in listed.content.decode()
    stored = TranscriptionKey.objects.get(organization=api.organization)
    assert KEY not in stored.key_encrypted and secret_decrypt(stored.key_encrypted) == KEY
    # Another organization sees none of it, and its bots cannot use it.
    assert other_api.get("/api/v1/transcription_keys").json() == []
    bot = {"meeting_url": MEET, "transcription": {"backend": "deepgram"}}
    assert other_api.post("/api/v1/bots", bot, format="json").status_code == 400
    created = api.post("/api/v1/bots", bot, format="json")
    assert created.status_code == 201, created.content
    # The live transcriber of the bot gets the organization's key.
    meeting = Meeting.objects.get(pk=created.json()["meeting_id"])
    settings = Bot.objects.get(pk=created.json()["id"]).settings["transcription"]
    transcriber = live_transcriber_start(meeting=meeting, settings=settings, timeline=SpeakerTimeline())
    assert transcriber.options.api_key == KEY
    transcriber.close()
    # Deleted: gone for good; a second delete is 404.
    assert api.delete("/api/v1/transcription_keys/deepgram").status_code == 204
    assert api.delete("/api/v1/transcription_keys/deepgram").status_code == 404
    assert api.post("/api/v1/bots", bot, format="json").status_code == 400


@pytest.mark.parametrize(
    "body,field",
    [({"provider": "whisperer", "api_key": "k"}, "provider"), ({"provider": "deepgram"}, "api_key")],
)
def test_a_bad_transcription_key_is_400_naming_the_field(api, body, field):
    response = api.post("/api/v1/transcription_keys", body, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]
