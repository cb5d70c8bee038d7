"""As a new user would: a bot sent through the API with `"transcription": {"backend": "deepgram"}` and
a Deepgram key, the server's NOTULA_DEEPGRAM_URL pointed at the local Deepgram, joins a simulated
meeting and gets live captions and segments from the provider's streaming socket."""

import pytest

from bots.models import Bot
from bots.services import bot_request_leave
from meetings.models import MeetingEvent, TranscriptSegment
from meetings.transcription.metrics import wer
from simulator import services as sim
from tests.provider_servers.process import provider_server
from tests.test_session import start, status_of, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.asr, pytest.mark.slow]

LINE = "Good morning everyone. Today we will talk about the budget for next year."


def test_a_deepgram_bot_gets_live_captions_from_the_provider(transactional_db, live_server, settings, tmp_path, api):
    settings.MEDIA_ROOT = tmp_path
    settings.CLOUD_ASR_TIMEOUT_S = 60  # a loaded test machine decodes slowly
    scenario = {
        "lobby": {"policy": "admit", "after_s": 0.5},
        "participants": [{"name": "Alice Smith", "voice": "en-us"}],
        "script": [{"at_s": 1.0, "speaker": "Alice Smith", "text": LINE}],
    }
    simulated = sim.sim_meeting_create(organization=api.organization, platform="google_meet", scenario=scenario)
    with provider_server("deepgram", "dg-user-key") as deepgram:
        settings.DEEPGRAM_URL = deepgram.url
        response = api.post(
            "/api/v1/bots",
            {
                "meeting_url": f"{live_server.url}/simulator/google_meet/{simulated.pk}",
                "transcription": {"backend": "deepgram", "api_key": "dg-user-key"},
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        bot = Bot.objects.get(pk=response.json()["id"])
        thread = start(bot, transcribe=True)
        wait_for(lambda: status_of(bot) == "in_call", timeout=90)
        events = MeetingEvent.objects.filter(meeting_id=bot.meeting_id)
        wait_for(lambda: events.filter(type="segment.finalized").exists(), 90)
        bot_request_leave(bot=bot)
        thread.join(90)
        sockets = [c for c in deepgram.log() if c["method"] == "GET" and c["path"] == "/v1/listen"]

    assert sockets and sockets[0]["auth"] == "Token dg-user-key"
    assert sockets[0]["query"]["encoding"] == "linear16" and sockets[0]["query"]["interim_results"] == "true"
    types = list(events.order_by("sequence").values_list("type", flat=True))
    assert "caption.partial" in types and types.index("caption.partial") < types.index("segment.finalized")
    segments = [e.payload for e in events.filter(type="segment.finalized").order_by("sequence")]
    assert wer(LINE, " ".join(s["text"] for s in segments)) <= 0.25
    stored = TranscriptSegment.objects.filter(meeting_id=bot.meeting_id)
    assert stored.exists() and set(stored.values_list("backend", flat=True)) == {"deepgram"}
    assert segments[0]["speaker"] == "Alice Smith"
    wait_for(lambda: events.filter(type="transcript.ready").exists(), 30)
