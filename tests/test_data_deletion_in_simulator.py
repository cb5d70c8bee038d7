"""As an integrator would: a real bot attends a simulated meeting in Chromium (recordings, camera
picture, people, events), leaves, and `delete_data` on it leaves no file of it behind."""

from pathlib import Path

import pytest

from accounts.services import api_key_create, organization_get_or_create
from bots.services import bot_request_leave
from meetings.models import ParticipantEvent
from simulator import services as sim
from tests.asr_http import serve_directory
from tests.conftest import KeyedClient
from tests.factories import BotFactory, MeetingFactory
from tests.images import still_image
from tests.test_session import start, status_of, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _files(root: Path) -> list[str]:
    # The simulator's own speech cache is the simulated people's, not the bot's.
    names = (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return sorted(name for name in names if not name.startswith("simulator/"))


def test_delete_data_on_a_bot_that_attended_leaves_no_file_behind(transactional_db, live_server, media, tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    still_image(images / "bot.png")
    server = serve_directory(images)
    try:
        organization = organization_get_or_create(name="Acme")
        api = KeyedClient(api_key_create(organization=organization))
        scenario = {
            "lobby": {"policy": "admit", "after_s": 0.5},
            "participants": [{"name": "Alice Smith", "voice": "en-us"}],
            "script": [{"at_s": 0.5, "speaker": "Alice Smith", "text": "My number is five five five."}],
        }
        simulated = sim.sim_meeting_create(organization=organization, platform="google_meet", scenario=scenario)
        url = f"{live_server.url}/simulator/google_meet/{simulated.pk}"
        bot = BotFactory(
            meeting=MeetingFactory(organization=organization, meeting_url=url, platform="google_meet"),
            bot_image_url=f"http://127.0.0.1:{server.server_port}/bot.png",
        )
        thread = start(bot)
        wait_for(lambda: status_of(bot) == "in_call", timeout=60)
        wait_for(lambda: ParticipantEvent.objects.filter(kind="speech_stop").exists(), 30)
        bot_request_leave(bot=bot)
        thread.join(60)
    finally:
        server.shutdown()
    assert status_of(bot) == "ended"
    left = _files(media)
    assert any(name.startswith(f"recordings/{bot.meeting_id}/") for name in left), left
    assert any(name.startswith(f"bots/{bot.id}/") for name in left), left
    assert api.get(f"/api/v1/meetings/{bot.meeting_id}/participants").json()

    answer = api.post(f"/api/v1/bots/{bot.id}/delete_data")
    assert answer.status_code == 200 and answer.json()["status"] == "deleted", answer.content
    assert _files(media) == []
    assert api.get(f"/api/v1/meetings/{bot.meeting_id}/participants").json() == []
    assert api.get(f"/api/v1/meetings/{bot.meeting_id}/recording").json()["recordings"] == []
    assert api.post(f"/api/v1/bots/{bot.id}/delete_data").json()["status"] == "already_deleted"
