"""The whole bot session (runner, capture, roster, rules, recordings) in a real Chromium, on a small
test meeting page driven by its query string (tests/pages/meeting.html, tests/engine_adapter.py)."""

import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from bots import runner
from bots.capture import peak
from bots.failures import GENERIC
from bots.models import Bot, BotEvent
from bots.recording import BYTES_PER_MS, media_duration_ms
from bots.services import bot_request_leave
from meetings.models import ParticipantEvent
from tests import engine_adapter
from tests.factories import BotFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def engine_adapter_for_all(monkeypatch):
    monkeypatch.setattr("bots.platforms.registry.adapter_class", lambda platform: engine_adapter.Adapter)


def without_transcription(bot):
    bot.settings = {**bot.settings, "transcription": {"enabled": False}}
    Bot.objects.filter(pk=bot.pk).update(settings=bot.settings)
    return bot


def start(bot, *, transcribe=False):
    """Run the bot in a thread. Live transcription is off unless the test checks it: Whisper on test
    tones costs CPU and proves nothing."""
    if not transcribe:
        without_transcription(bot)

    def work():
        try:
            runner.run(bot.id)
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def wait_for(predicate, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def status_of(bot):
    return Bot.objects.values_list("status", flat=True).get(pk=bot.pk)


def events_of(bot):
    return list(BotEvent.objects.filter(bot=bot).values_list("event", flat=True))


def test_attend_follow_the_roster_record_and_leave_on_request(transactional_db, pages, media):
    query = "admit=1&join=Alice@0.3&join=Bob@0.6&speak=Alice@1-2.5&leave=Bob@2.8"
    bot = BotFactory(meeting_url=f"{pages}?{query}", entry_message="Notula is recording.")
    thread = start(bot)
    wait_for(lambda: status_of(bot) == "in_call")
    wait_for(lambda: ParticipantEvent.objects.filter(kind="leave", participant__name="Bob").exists())
    time.sleep(0.5)
    asked = time.monotonic()
    bot_request_leave(bot=bot)
    wait_for(lambda: status_of(bot) != "in_call", timeout=5)
    assert time.monotonic() - asked < 5
    thread.join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "left_by_request")
    assert events_of(bot) == [
        "join_started",
        "entered_waiting_room",
        "admitted",
        "command",
        "command_done",
        "leave_started",
        "left",
        "ended",
    ]
    assert bot.joined_at is not None and bot.recording_state == "recording"

    people = {p.name: p for p in bot.meeting.participants.all()}
    assert set(people) == {"Alice", "Bob"}
    assert people["Bob"].left_at is not None and people["Alice"].left_at is None
    speech = list(ParticipantEvent.objects.filter(participant=people["Alice"]).values_list("kind", "offset_ms"))
    assert [k for k, _ in speech] == ["join", "speech_start", "speech_stop"]
    (_, joined_ms), (_, start_ms), (_, stop_ms) = speech
    assert joined_ms < start_ms and 800 <= stop_ms - start_ms <= 2500  # she spoke for 1.5 s

    recordings = {r.format: r for r in bot.meeting.recordings.all()}
    assert set(recordings) == {"flac", "mp3"}
    left_at = BotEvent.objects.get(bot=bot, event="leave_started").created_at
    call_ms = (left_at - bot.joined_at).total_seconds() * 1000
    for recording in recordings.values():
        path = Path(media) / recording.file.name
        assert abs(media_duration_ms(path) - call_ms) < 1000
        assert abs(recording.duration_ms - call_ms) < 1000
    raw = (Path(media) / "recordings" / bot.meeting_id / "audio.pcm").read_bytes()
    # Alice's tone is in the recording where the timeline says she spoke, and silence well before it.
    assert peak(raw[(start_ms + 300) * BYTES_PER_MS : (stop_ms - 300) * BYTES_PER_MS]) > 10000
    assert peak(raw[: max(0, start_ms - 400) * BYTES_PER_MS]) < 50
    types = list(bot.meeting.events.values_list("type", flat=True))
    assert types.count("recording.ready") == 2 and types.count("participant.left") == 1


def test_denied_bot_never_looks_like_it_attended(transactional_db, pages, media):
    bot = BotFactory(meeting_url=f"{pages}?deny=0.5")
    start(bot).join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "admission_denied")
    assert events_of(bot) == ["join_started", "entered_waiting_room", "leave_started", "ended"]
    assert bot.joined_at is None and bot.recording_state == "not_recording"
    assert not bot.meeting.recordings.exists()
    assert bot.debug_screenshot.read()[:4] == b"\x89PNG" and b"Ask to join" in bot.debug_html.read()


def test_lobby_timeout(transactional_db, pages, media):
    bot = BotFactory(meeting_url=f"{pages}?admit=never")
    bot.settings["automatic_leave"]["waiting_room_timeout"] = 1
    bot.save()
    start(bot).join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason, bot.joined_at) == ("ended", "waiting_room_timeout", None)


def test_removed_by_host_keeps_the_recording(transactional_db, pages, media):
    bot = BotFactory(meeting_url=f"{pages}?admit=0&join=Alice@0&remove=1.5")
    start(bot).join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "removed_by_host")
    assert bot.meeting.recordings.count() == 2


def test_speaker_view_records_an_mp4_with_the_meeting_audio(transactional_db, pages, media):
    bot = BotFactory(meeting_url=f"{pages}?admit=0&join=Alice@0&speak=Alice@0.5-1.5&end=3")
    bot.settings["recording"] = {"mode": "speaker_view", "audio_format": "opus"}
    bot.save()
    start(bot).join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "meeting_ended")
    recordings = {r.format: r for r in bot.meeting.recordings.all()}
    assert set(recordings) == {"flac", "opus", "mp4"}
    video = recordings["mp4"]
    assert video.kind == "video"
    path = Path(media) / video.file.name
    streams = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert streams == ["h264", "aac"]
    assert abs(media_duration_ms(path) - recordings["flac"].duration_ms) < 1000


def test_an_unexpected_error_fails_the_bot_with_evidence(transactional_db, pages, media):
    bot = BotFactory(meeting_url=f"{pages}?admit=0&join=Alice@0&crash=1")
    start(bot).join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("failed", "bot_crashed")
    assert bot.end_message == GENERIC and "RuntimeError" not in bot.end_message
    assert BotEvent.objects.get(bot=bot, event="failed").data["error_type"] == "RuntimeError"
    assert bot.debug_screenshot.read()[:4] == b"\x89PNG" and b"meeting" in bot.debug_html.read()
    assert Bot.objects.filter(pk=bot.pk, heartbeat_at__isnull=False).exists()
    # It was in the call for a second: that audio is kept.
    flac = bot.meeting.recordings.get(format="flac")
    assert 500 <= flac.duration_ms <= 3000


@pytest.mark.parametrize(
    ("query", "rules", "reason"),
    [
        ("join=Alice@0&leave=Alice@1", {"everyone_left_timeout": 1}, "everyone_left"),
        ("join=Alice@0", {"silence_timeout": 1.5}, "silence"),
        ("join=Alice@3", {"noone_joined_timeout": 1}, "noone_joined"),
        ("join=Alice@0&speak=Alice@0-9", {"max_duration": 2}, "max_duration"),
    ],
)
def test_automatic_leave_rules(transactional_db, pages, media, query, rules, reason):
    bot = BotFactory(meeting_url=f"{pages}?admit=0&{query}")
    bot.settings["automatic_leave"].update(rules)
    bot.save()
    start(bot).join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", reason)
    assert bot.joined_at is not None and bot.meeting.recordings.count() == 2


def test_live_audio_and_speakers_stream_to_the_integrator(transactional_db, pages, media):
    import json

    from websockets.sync.server import serve

    frames = []

    def handle(ws):
        for message in ws:
            frames.append(message)

    server = serve(handle, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        bot = BotFactory(meeting_url=f"{pages}?admit=0&join=Alice@0&speak=Alice@0.5-1.5&end=3")
        bot.settings["streaming"]["audio_url"] = f"ws://127.0.0.1:{server.socket.getsockname()[1]}/audio"
        bot.save()
        start(bot).join(60)
    finally:
        server.shutdown()
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "meeting_ended")
    audio = b"".join(f for f in frames if isinstance(f, bytes))
    flac = bot.meeting.recordings.get(format="flac")
    assert abs(len(audio) / 32 - flac.duration_ms) < 1000  # 32 bytes per ms of 16 kHz PCM16
    assert peak(audio) > 10000
    speakers = [json.loads(f) for f in frames if isinstance(f, str)]
    assert [[s["isSpeaking"] for s in frame if s["name"] == "Alice"] for frame in speakers][:2] == [[True], [False]]


def test_run_bot_command_runs_a_session_in_the_foreground(transactional_db, pages, media):
    from io import StringIO

    from django.core.management import call_command

    bot = without_transcription(BotFactory(meeting_url=f"{pages}?admit=0&join=Alice@0&end=1"))
    out = StringIO()
    call_command("run_bot", bot.id, stdout=out)
    assert out.getvalue().strip() == f"Bot {bot.id}: ended (meeting_ended)"
    assert bot.meeting.recordings.count() == 2
