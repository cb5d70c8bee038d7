"""A bot in a simulated three-speaker meeting, transcribed live end to end: the runner, Chromium's
capture over WebRTC, the speaking indicators, the live pipeline, and the transcript a user reads."""

from pathlib import Path

import pytest

from bots.services import bot_request_leave
from meetings.models import MeetingEvent
from meetings.transcription.metrics import wer
from simulator import services as sim
from tests.factories import BotFactory, MeetingFactory
from tests.test_session import start, status_of, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.asr]

SCRIPT = [
    (1.0, "Alice Smith", "Good morning everyone. Today we will talk about the budget for next year."),
    (6.5, "Bob Jones", "Thank you Alice. Sales were very good in the first quarter."),
    (11.5, "Carol White", "We need two new people in the support team."),
]
# A LibriVox reading (Debian's pocketsphinx-testdata, which scripts/install.sh installs) and its transcript.
READING = Path("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav")
READ = (
    "and mister john dashwood had then leisure to consider how much there might be prudently in his power to do "
    "for them"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_three_speakers_transcribed_under_the_right_names(transactional_db, live_server, media, api):
    scenario = {
        "lobby": {"policy": "admit", "after_s": 0.5},
        "participants": [
            {"name": "Alice Smith", "voice": "en-us"},
            {"name": "Bob Jones", "voice": "en-gb"},
            {"name": "Carol White", "voice": "en-us"},
        ],
        "script": [{"at_s": at, "speaker": who, "text": text} for at, who, text in SCRIPT],
    }
    simulated = sim.sim_meeting_create(organization=api.organization, platform="google_meet", scenario=scenario)
    url = f"{live_server.url}/simulator/google_meet/{simulated.pk}"
    meeting = MeetingFactory(organization=api.organization, meeting_url=url, platform="google_meet", title="Budget")
    bot = BotFactory(meeting=meeting)
    thread = start(bot, transcribe=True)
    wait_for(lambda: status_of(bot) == "in_call", timeout=60)
    wait_for(lambda: MeetingEvent.objects.filter(meeting=meeting, type="segment.finalized").count() >= 3, 60)
    bot_request_leave(bot=bot)
    thread.join(60)
    wait_for(lambda: MeetingEvent.objects.filter(meeting=meeting, type="transcript.ready").exists(), 30)

    types = list(MeetingEvent.objects.filter(meeting=meeting).values_list("type", flat=True))
    assert "caption.partial" in types and types.index("caption.partial") < types.index("segment.finalized")
    segments = api.get(f"/api/v1/meetings/{meeting.id}/transcript").json()["segments"]
    assert wer(" ".join(text for _, _, text in SCRIPT), " ".join(s["text"] for s in segments)) <= 0.2
    assert all(s["participant_id"] for s in segments)
    markdown = api.get(f"/api/v1/meetings/{meeting.id}/transcript?format=md").content.decode()
    names = [block for i, block in enumerate(markdown.split("**")[1:]) if i % 2 == 0]
    assert names == [who for _, who, _ in SCRIPT], markdown


def test_a_recorded_clip_is_transcribed_under_the_name_of_the_participant_who_played_it(
    transactional_db, live_server, media, api
):
    opening = "Good morning everyone. Bob will read the next part."
    scenario = {
        "lobby": {"policy": "admit", "after_s": 0.5},
        "participants": [{"name": "Alice Smith", "voice": "en-us"}, {"name": "Bob Jones", "voice": "en-gb"}],
        "script": [
            {"at_s": 1.0, "speaker": "Alice Smith", "text": opening},
            {"at_s": 6.0, "speaker": "Bob Jones", "audio": "reading"},
        ],
    }
    simulated = sim.sim_meeting_create(
        organization=api.organization,
        platform="google_meet",
        scenario=scenario,
        clips={"reading": READING.read_bytes()},
    )
    url = f"{live_server.url}/simulator/google_meet/{simulated.pk}"
    meeting = MeetingFactory(organization=api.organization, meeting_url=url, platform="google_meet", title="Reading")
    bot = BotFactory(meeting=meeting)
    thread = start(bot, transcribe=True)
    wait_for(lambda: status_of(bot) == "in_call", timeout=60)
    said_by_bob = MeetingEvent.objects.filter(meeting=meeting, type="segment.finalized", payload__speaker="Bob Jones")
    wait_for(lambda: said_by_bob.exists() and simulated_clock(api, simulated) > 14.5, 60)
    bot_request_leave(bot=bot)
    thread.join(60)
    wait_for(lambda: MeetingEvent.objects.filter(meeting=meeting, type="transcript.ready").exists(), 30)

    segments = api.get(f"/api/v1/meetings/{meeting.id}/transcript").json()["segments"]
    by_speaker: dict[str, str] = {}
    for segment in segments:
        assert segment["participant_id"], segment
        by_speaker[segment["speaker"]] = f"{by_speaker.get(segment['speaker'], '')} {segment['text']}"
    assert set(by_speaker) == {"Alice Smith", "Bob Jones"}, segments
    assert wer(READ, by_speaker["Bob Jones"]) <= 0.25, by_speaker
    assert wer(opening, by_speaker["Alice Smith"]) <= 0.25, by_speaker


def simulated_clock(api, simulated) -> float:
    return api.get(f"/simulator/api/meetings/{simulated.pk}").json()["clock_s"] or 0.0
