"""MeetStream's control channel (`socket_connection_url`): the bot connects to the integrator's socket,
says it is ready, and each command frame lands on Notula's command channel to the bot's runner (read
here by the runner's own inbox); a bad or refused command is answered with an error frame."""

import base64
import time

import pytest
from django.utils import timezone

from bots.commands import CommandInbox
from bots.models import Bot, BotStatus, RecordingState
from bots.sinks import audio_sinks_for
from compat.meetstream.control_socket import ControlSocketSink
from meetings.timeline import SpeakerTimeline
from tests.compat.ws_peers import Integrator
from tests.conftest import make_client

BASE = "/compat/meetstream/api/v1"
MEET = "https://meet.google.com/abc-defg-hij"


def _in_call(ms, **body) -> Bot:
    created = ms.post(f"{BASE}/bots/create_bot", {"meeting_link": MEET, **body}, format="json")
    assert created.status_code == 201, created.json()
    Bot.objects.filter(pk=created.json()["bot_id"]).update(
        status=BotStatus.IN_CALL, recording_state=RecordingState.RECORDING, joined_at=timezone.now()
    )
    return Bot.objects.get(pk=created.json()["bot_id"])


def test_commands_from_the_control_socket_reach_the_bots_runner(transactional_db, media):
    ms = make_client("MeetStream users")
    pcm = base64.b64encode(b"\x00\x10" * 4800).decode()
    integrator = Integrator(
        [
            {"command": "sendmsg", "message": "Hello from the socket"},
            {"command": "sendaudio", "audiochunk": pcm, "sample_rate": 48000},
            {"command": "pause_recording"},
            {"command": "dance"},
            {"command": "sendmsg"},
            "not json",
            {"command": "leave"},
        ]
    )
    bot = _in_call(ms, socket_connection_url={"websocket_url": integrator.url})
    assert bot.settings["streaming"]["control_url"] == integrator.url
    inbox = CommandInbox(bot.id)
    bot.settings["transcription"]["enabled"] = False
    _, sinks = audio_sinks_for(bot, SpeakerTimeline(), started_at=timezone.now())
    control = [s for s in sinks if isinstance(s, ControlSocketSink)]
    try:
        ready, chat, speak, pause, unknown, missing, garbage, leave = integrator.answers(8)
    finally:
        for sink in sinks:
            sink.close()
        integrator.server.shutdown()
    assert len(control) == 1 and control[0].connections == 1
    assert ready == {"type": "ready", "bot_id": bot.id}
    assert chat["type"] == speak["type"] == pause["type"] == leave["type"] == "ack", (chat, speak, pause, leave)
    assert unknown["type"] == "error" and "dance" in unknown["message"]
    assert missing["type"] == "error" and "message" in missing["message"]
    assert garbage["type"] == "error" and garbage["command"] is None

    deadline = time.monotonic() + 10
    seen: dict = {}
    while time.monotonic() < deadline and len(seen) < 4:
        seen.update({c.id: c for c in inbox.take()})
        inbox.wait(0.5)
    inbox.close()
    assert (
        seen[chat["command_id"]].kind == "chat" and seen[chat["command_id"]].payload["text"] == "Hello from the socket"
    )
    assert seen[speak["command_id"]].kind == "speak" and seen[speak["command_id"]].payload["duration_ms"] == 100
    assert seen[pause["command_id"]].kind == "pause_recording"
    assert any(c.kind == "leave" for c in seen.values())
    bot.refresh_from_db()
    assert bot.leave_requested_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["https://control.example.com", {"websocket_url": "wss://x.example.com", "extra": 1}, 42, ""]
)
def test_a_bad_socket_connection_url_is_a_400_naming_it(value):
    ms = make_client("MeetStream users")
    answer = ms.post(f"{BASE}/bots/create_bot", {"meeting_link": MEET, "socket_connection_url": value}, format="json")
    assert answer.status_code == 400 and "socket_connection_url" in answer.json()["detail"]
