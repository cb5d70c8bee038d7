"""The organization's default transcription backend: set through the API, refused for a cloud
provider without a key, and given to bots and imports created afterwards that name no backend."""

import io
import wave

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.transcription_keys import transcription_key_set
from bots.models import Bot

MEET = "https://meet.google.com/abc-defg-hij"
URL = "/api/v1/transcription_default"


@pytest.fixture(autouse=True)
def no_server_keys(settings):
    settings.DEEPGRAM_API_KEY = settings.ASSEMBLYAI_API_KEY = ""


def test_the_server_default_applies_until_set(api):
    assert api.get(URL).json() == {"backend": None, "model": None, "language": None}


def test_a_cloud_default_without_a_key_is_400_naming_backend(api):
    response = api.put(URL, {"backend": "deepgram"}, format="json")
    assert response.status_code == 400, response.content
    assert "transcription_keys" in response.json()["error"]["fields"]["backend"][0]
    assert api.get(URL).json()["backend"] is None


def test_the_servers_own_key_is_enough_for_a_cloud_default(api, settings):
    settings.ASSEMBLYAI_API_KEY = "server-key"
    response = api.put(URL, {"backend": "assemblyai"}, format="json")
    assert response.status_code == 200 and response.json()["backend"] == "assemblyai"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "backend"),
        ({"backend": "nope"}, "backend"),
        ({"backend": "faster-whisper", "model": "giant"}, "model"),
        ({"backend": "faster-whisper", "language": "xx"}, "language"),
        ({"backend": None, "language": "de"}, "language"),
        ({"backend": "faster-whisper", "extra": 1}, "extra"),
    ],
)
def test_a_bad_default_is_a_400_naming_the_field(api, body, field):
    response = api.put(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


def test_a_bot_without_a_backend_takes_the_default_when_created(api, other_api):
    transcription_key_set(organization=api.organization, provider="deepgram", api_key="dg-0123456789abcdef")
    body = {"backend": "deepgram", "model": "nova-2", "language": "de"}
    assert api.put(URL, body, format="json").json() == body
    created = api.post("/api/v1/bots", {"meeting_url": MEET}, format="json")
    assert created.status_code == 201, created.content
    shown = created.json()["settings"]["transcription"]
    assert (shown["backend"], shown["model"], shown["language"]) == ("deepgram", "nova-2", "de")
    # A bot's own backend wins, and another organization is untouched.
    body = {"meeting_url": MEET + "?x=1", "transcription": {"backend": "captions"}}
    own = api.post("/api/v1/bots", body, format="json")
    assert own.json()["settings"]["transcription"]["backend"] == "captions"
    theirs = other_api.post("/api/v1/bots", {"meeting_url": MEET}, format="json").json()
    assert theirs["settings"]["transcription"]["backend"] != "deepgram"
    # Going back to the server default leaves bots created earlier as they were.
    assert api.put(URL, {"backend": None}, format="json").json()["backend"] is None
    assert Bot.objects.get(pk=created.json()["id"]).settings["transcription"]["backend"] == "deepgram"


def test_an_import_without_options_takes_the_default_language(api, media):
    api.put(URL, {"backend": "faster-whisper", "model": "base", "language": "de"}, format="json")
    upload = SimpleUploadedFile("talk.wav", _silence_wav(), content_type="audio/wav")
    response = api.post("/api/v1/meetings", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["language"] == "de"


def _silence_wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * 8000)
    return buffer.getvalue()
