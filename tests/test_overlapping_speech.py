"""Two people speaking at once, on a platform that sends one audio track per participant (the
simulator's Zoom): the bot transcribes each track on its own, so both sentences are in the transcript,
each under the name of the person who said it."""

import pytest

from bots.services import bot_request_leave
from meetings.models import MeetingEvent
from meetings.transcription.metrics import wer
from simulator import services as sim
from simulator.doors import door_links
from tests.factories import BotFactory, MeetingFactory
from tests.test_session import start, status_of, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.asr]

# Each says a line alone first (the indicators tell the bot whose track is whose), then both at once.
SCRIPT = [
    (1.0, "Alice Smith", "Good morning everyone, the budget is ready."),
    (5.0, "Bob Jones", "Thank you Alice, the sales were very good."),
    (9.5, "Alice Smith", "Please send me the report before Friday."),
    (9.5, "Bob Jones", "The office moves to a bigger building in June."),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def said_by(segments, name):
    return " ".join(s["text"] for s in segments if s["speaker"] == name)


def test_two_people_speaking_at_once_are_both_transcribed_under_their_names(transactional_db, live_server, media, api):
    scenario = {
        "lobby": {"policy": "admit", "after_s": 0.5},
        "participants": [{"name": "Alice Smith", "voice": "en-us"}, {"name": "Bob Jones", "voice": "en-gb"}],
        "script": [{"at_s": at, "speaker": who, "text": text} for at, who, text in SCRIPT],
    }
    simulated = sim.sim_meeting_create(organization=api.organization, platform="zoom", scenario=scenario)
    url = door_links(simulated, live_server.url)["meeting"]
    meeting = MeetingFactory(organization=api.organization, meeting_url=url, platform="zoom", title="Overlap")
    bot = BotFactory(meeting=meeting)
    thread = start(bot, transcribe=True)
    wait_for(lambda: status_of(bot) == "in_call", timeout=60)
    wait_for(lambda: MeetingEvent.objects.filter(meeting=meeting, type="segment.finalized").count() >= 4, 90)
    bot_request_leave(bot=bot)
    thread.join(60)
    wait_for(lambda: MeetingEvent.objects.filter(meeting=meeting, type="transcript.ready").exists(), 30)

    segments = api.get(f"/api/v1/meetings/{meeting.id}/transcript").json()["segments"]
    for name in ("Alice Smith", "Bob Jones"):
        expected = " ".join(text for _, who, text in SCRIPT if who == name)
        heard = said_by(segments, name)
        # Both of each person's sentences, the one said over the other's included, and nobody else's:
        # a sentence missing or under the wrong name costs 0.5 or more. Below that, tiny.en's own
        # errors on espeak-ng voices through WebRTC under load (a few words in 15).
        assert wer(expected, heard) <= 0.35, (name, heard, segments)
    overlapping = [s for s in segments if s["start_ms"] >= 8000]
    assert {s["speaker"] for s in overlapping} == {"Alice Smith", "Bob Jones"}, overlapping
