"""A bot in a simulated three-speaker meeting, transcribed live end to end: the runner, Chromium's
capture over WebRTC, the speaking indicators, the live pipeline, and the transcript a user reads."""

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
