"""`/speak`, `/pause_recording`, `/resume_recording` at the API: what is refused (naming the field or the
bot's state), and what a bot in a call is sent (a command with the audio ready in its microphone format)."""

import base64
import json
import subprocess
from pathlib import Path

import pytest
import redis
from django.conf import settings

from bots.commands import stream_key
from bots.models import BotEvent
from bots.speech import BYTES_PER_S, speech_directory
from tests.asr_http import serve_directory
from tests.factories import BotFactory, MeetingFactory


@pytest.fixture
def streams():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    for key in client.scan_iter("notula:bot:*:commands"):
        client.delete(key)
    client.close()


@pytest.fixture
def bot_in_call(api, media):
    meeting = MeetingFactory(organization=api.organization)
    return BotFactory(meeting=meeting, status="in_call", recording_state="recording")


def tone(path: Path, seconds: float, fmt: str) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-f", fmt,
         str(path)],
        check=True,
    )  # fmt: skip
    return path


def sent(streams, bot) -> list[dict]:
    entries = streams.xrange(stream_key(bot.id))
    return [{k.decode(): v.decode() for k, v in fields.items()} for _, fields in entries]


def test_a_text_is_rendered_for_the_microphone_and_sent_to_the_runner(transactional_db, api, bot_in_call, streams):
    answer = api.post(f"/api/v1/bots/{bot_in_call.id}/speak", {"text": "Hello from Notula"}, format="json")
    assert answer.status_code == 202, answer.json()
    body = answer.json()
    assert body["status"] == "queued" and 500 < body["duration_ms"] < 5000
    pcm = speech_directory(bot_in_call) / f"{body['speech_id']}.pcm"
    assert abs(pcm.stat().st_size * 1000 // BYTES_PER_S - body["duration_ms"]) <= 1
    (command,) = sent(streams, bot_in_call)
    payload = json.loads(command["payload"])
    assert command["kind"] == "speak" and payload["speech_id"] == body["speech_id"] and payload["voice"] == "en-us"
    assert BotEvent.objects.get(bot=bot_in_call, event="command").data["id"] == body["command_id"]


@pytest.mark.parametrize("fmt", ["mp3", "wav", "ogg"])
def test_audio_files_by_upload_base64_and_url(transactional_db, api, bot_in_call, streams, tmp_path, fmt):
    source = tone(tmp_path / f"tone.{fmt}", 2.0, fmt)
    upload = api.post(f"/api/v1/bots/{bot_in_call.id}/speak", {"audio": source.open("rb")}, format="multipart")
    encoded = base64.b64encode(source.read_bytes()).decode()
    inline = api.post(f"/api/v1/bots/{bot_in_call.id}/speak", {"audio_base64": encoded}, format="json")
    server = serve_directory(tmp_path)
    try:
        url = f"http://127.0.0.1:{server.server_port}/{source.name}"
        fetched = api.post(f"/api/v1/bots/{bot_in_call.id}/speak", {"audio_url": url}, format="json")
    finally:
        server.shutdown()
    for answer in (upload, inline, fetched):
        assert answer.status_code == 202, answer.json()
        assert 1900 <= answer.json()["duration_ms"] <= 2200
    assert [c["kind"] for c in sent(streams, bot_in_call)] == ["speak"] * 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": "Hi", "audio_base64": "AAAA"}, "audio_base64"),
        ({"text": "Hi", "voice": "xx-nonsense"}, "voice"),
        ({"text": "Hi", "voice": "../../../etc/passwd"}, "voice"),
        ({"audio_base64": "not base64!"}, "audio_base64"),
        ({"audio_base64": base64.b64encode(b"no audio at all").decode()}, "audio_base64"),
        ({"audio_url": "http://169.254.169.254/latest"}, "audio_url"),
        ({"text": 42}, "text"),
        ({"text": "Hi", "volume": 3}, "volume"),
        # A playlist naming another file is no audio file.
        ({"audio_base64": base64.b64encode(b"#EXTM3U\n#EXTINF:1,\n/etc/hostname\n").decode()}, "audio_base64"),
    ],
)
def test_bad_requests_name_the_field(api, bot_in_call, body, field):
    answer = api.post(f"/api/v1/bots/{bot_in_call.id}/speak", body, format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["error"]["fields"], answer.json()


def test_a_bot_not_in_a_call_does_not_speak_or_pause(api, media):
    bot = BotFactory(meeting=MeetingFactory(organization=api.organization), status="waiting_room")
    for method, path in [("post", "speak"), ("delete", "speak"), ("post", "pause_recording")]:
        answer = getattr(api, method)(f"/api/v1/bots/{bot.id}/{path}", {"text": "Hi"} if method == "post" else None)
        assert answer.status_code == 409 and answer.json()["error"]["code"] == "bot_not_in_call", answer.json()


def test_someone_elses_bot_is_not_found(api, other_api, bot_in_call):
    answer = other_api.post(f"/api/v1/bots/{bot_in_call.id}/speak", {"text": "Hi"}, format="json")
    assert answer.status_code == 404
    assert other_api.post(f"/api/v1/bots/{bot_in_call.id}/pause_recording").status_code == 404


def test_stop_pause_and_resume_are_commands_refused_in_the_wrong_recording_state(
    transactional_db, api, bot_in_call, streams
):
    assert api.delete(f"/api/v1/bots/{bot_in_call.id}/speak").status_code == 202
    resume = api.post(f"/api/v1/bots/{bot_in_call.id}/resume_recording")
    assert resume.status_code == 409 and resume.json()["error"]["code"] == "recording_state_conflict"
    pause = api.post(f"/api/v1/bots/{bot_in_call.id}/pause_recording")
    assert pause.status_code == 202 and pause.json()["recording_state"] == "recording"
    assert [c["kind"] for c in sent(streams, bot_in_call)] == ["stop_speaking", "pause_recording"]
