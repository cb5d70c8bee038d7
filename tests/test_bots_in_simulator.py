"""Whole bots (runner, browser, capture, adapter, recordings) in the simulator's meetings, in a real
Chromium: one full attendance per platform, and the endings a platform page decides."""

from pathlib import Path

import pytest

from bots.capture import peak
from bots.models import BotEvent
from bots.platforms.registry import PLATFORMS
from bots.recording import BYTES_PER_MS, media_duration_ms
from bots.services import bot_request_leave
from meetings.models import MeetingEvent, ParticipantEvent
from simulator import services as sim
from simulator.models import SimMeeting
from tests.asr_http import serve_directory
from tests.factories import BotFactory, MeetingFactory
from tests.images import still_image
from tests.test_session import events_of, start, status_of, wait_for

pytestmark = [pytest.mark.browser]
# Every platform whose adapter is in this build.
READY = [p for p in PLATFORMS if (Path(__file__).parent.parent / "bots" / "platforms" / p / "adapter.py").exists()]


@pytest.fixture(scope="module")
def image_url(tmp_path_factory):
    """A bot picture served over HTTP, as integrators host theirs."""
    folder = tmp_path_factory.mktemp("images")
    still_image(folder / "bot.png")
    server = serve_directory(folder)
    yield f"http://127.0.0.1:{server.server_port}/bot.png"
    server.shutdown()


@pytest.fixture
def sim_bot(transactional_db, live_server, media):
    from accounts.services import organization_get_or_create

    organization = organization_get_or_create(name="Engine tests")

    def make(platform: str, scenario: dict, **bot_fields):
        meeting = sim.sim_meeting_create(organization=organization, platform=platform, scenario=scenario)
        url = f"{live_server.url}/simulator/{platform}/{meeting.pk}"
        ours = MeetingFactory(organization=organization, meeting_url=url, platform=platform)
        rules = bot_fields.pop("automatic_leave", {})
        bot = BotFactory(meeting=ours, **bot_fields)
        bot.settings["automatic_leave"].update(rules)
        bot.save()
        return meeting, bot

    return make


def seen(meeting) -> SimMeeting:
    return SimMeeting.objects.get(pk=meeting.pk)


@pytest.mark.parametrize("platform", READY)
def test_join_lobby_attend_and_leave_on_request(sim_bot, media, image_url, platform):
    meeting, bot = sim_bot(
        platform,
        {
            "lobby": {"policy": "admit", "after_s": 1},
            "participants": [
                {"name": "Alice Smith", "voice": "en-us"},
                {"name": "Bob Jones", "voice": "en-gb", "joins_at_s": 1, "leaves_at_s": 4},
            ],
            "script": [{"at_s": 0.5, "speaker": "Alice Smith", "text": "Good morning everyone, here is the plan."}],
        },
        entry_message="Notula is recording this meeting.",
        bot_image_url=image_url,
    )
    thread = start(bot, transcribe=True)
    wait_for(lambda: status_of(bot) == "in_call", timeout=60)
    wait_for(lambda: ParticipantEvent.objects.filter(kind="leave", participant__name="Bob Jones").exists(), 30)
    bot_request_leave(bot=bot)
    wait_for(lambda: status_of(bot) not in ("in_call",), timeout=5)
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
    people = {p.name: p for p in bot.meeting.participants.all()}
    assert set(people) == {"Alice Smith", "Bob Jones"}
    assert people["Bob Jones"].left_at is not None and people["Alice Smith"].left_at is None
    alice = list(ParticipantEvent.objects.filter(participant=people["Alice Smith"]).values_list("kind", flat=True))
    assert alice[:3] == ["join", "speech_start", "speech_stop"]

    state = seen(meeting)
    assert state.bot_state == "left" and state.bot_name == bot.bot_name and not state.bot_mic_on
    assert [m["text"] for m in state.chat] == ["Notula is recording this meeting."]
    assert state.bot_camera and state.bot_camera["has_image"], state.bot_camera

    recordings = {r.format: r for r in bot.meeting.recordings.all()}
    assert set(recordings) == {"flac", "mp3"}
    call_ms = (BotEvent.objects.get(bot=bot, event="leave_started").created_at - bot.joined_at).total_seconds() * 1000
    for recording in recordings.values():
        assert abs(media_duration_ms(Path(media) / recording.file.name) - call_ms) < 1000
    raw = (Path(media) / "recordings" / bot.meeting_id / "audio.pcm").read_bytes()
    start_ms, stop_ms = (
        ParticipantEvent.objects.filter(participant=people["Alice Smith"], kind=k).first().offset_ms
        for k in ("speech_start", "speech_stop")
    )
    assert peak(raw[start_ms * BYTES_PER_MS : stop_ms * BYTES_PER_MS]) > 1000, "Alice's line is in the recording"
    # The live transcriber got the same audio and the speaker timeline.
    segments = list(bot.meeting.segments.values_list("speaker", "text"))
    assert any(speaker == "Alice Smith" and "morning" in text.lower() for speaker, text in segments), segments


@pytest.mark.parametrize(
    ("scenario", "rules", "reason", "admitted"),
    [
        ({"lobby": {"policy": "never"}}, {"waiting_room_timeout": 1}, "waiting_room_timeout", False),
        ({"lobby": {"policy": "deny", "after_s": 0.5}}, {}, "admission_denied", False),
        ({"participants": [{"name": "Alice Smith"}], "ends_at_s": 1}, {}, "meeting_ended", True),
        (
            {"participants": [{"name": "Alice Smith", "leaves_at_s": 0.5}]},
            {"everyone_left_timeout": 1},
            "everyone_left",
            True,
        ),
        ({"participants": [{"name": "Alice Smith"}]}, {"silence_timeout": 1.5}, "silence", True),
        ({"access": "blocked"}, {}, "platform_blocked", False),
        ({"access": "login_required"}, {}, "login_required", False),
    ],
)
def test_endings(sim_bot, scenario, rules, reason, admitted):
    meeting, bot = sim_bot("google_meet", scenario, automatic_leave=rules)
    start(bot).join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", reason)
    assert (bot.joined_at is not None) == admitted
    assert bot.meeting.recordings.exists() == admitted
    if not admitted:
        assert bot.debug_screenshot and bot.debug_html


def test_removed_by_host(sim_bot):
    meeting, bot = sim_bot("google_meet", {"participants": [{"name": "Alice Smith"}]})
    thread = start(bot)
    wait_for(lambda: status_of(bot) == "in_call", timeout=60)
    sim.sim_meeting_remove_bot(meeting=seen(meeting))
    thread.join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "removed_by_host")
    assert seen(meeting).bot_state == "removed"


def test_meeting_not_found(sim_bot, live_server):
    meeting, bot = sim_bot("google_meet", {})
    bot.meeting_url = f"{live_server.url}/simulator/google_meet/sim_NoSuchMeeting"
    bot.save()
    start(bot).join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason, bot.joined_at) == ("ended", "meeting_not_found", None)


def test_a_bot_that_did_not_transcribe_still_completes_its_transcript(sim_bot):
    meeting, bot = sim_bot("google_meet", {"participants": [{"name": "Alice Smith"}], "ends_at_s": 2})
    start(bot).join(60)  # transcription off
    bot.refresh_from_db()
    assert bot.settings["transcription"]["enabled"] is False
    assert (bot.status, bot.end_reason) == ("ended", "meeting_ended")
    assert bot.meeting.status == "completed"
    ready = MeetingEvent.objects.get(meeting=bot.meeting, type="transcript.ready")
    assert ready.payload["segments"] == 0 and ready.bot_id == bot.id
    assert MeetingEvent.objects.filter(meeting=bot.meeting, type="document.saved").count() == 1
