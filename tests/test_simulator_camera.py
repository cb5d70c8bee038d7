"""The bot's picture as its camera: the runner feeds it to Chromium as the fake camera, the adapter
turns the camera on, and the meeting page records that it saw a picture (not Chromium's test pattern)."""

import subprocess

import pytest

from bots.browser import launch
from bots.platforms.base import CallState
from bots.platforms.registry import PLATFORMS, adapter_class
from tests.sim_helpers import fresh, sim_meeting_factory, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORANGE, BLUE = (255, 128, 0), (0, 64, 255)


@pytest.fixture(scope="module")
def picture(tmp_path_factory):
    """A two-colour picture as a Y4M clip, the format Chromium's fake camera reads."""
    path = tmp_path_factory.mktemp("camera") / "bot.y4m"
    colours = [f"color=c=0x{r:02X}{g:02X}{b:02X}:s=320x360:d=1" for r, g, b in (ORANGE, BLUE)]
    graph = f"{colours[0]}[a];{colours[1]}[b];[a][b]hstack"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-filter_complex", graph, "-frames:v", "1", "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )
    return path


@pytest.fixture(scope="module")
def driver(picture):
    with launch(fake_video=picture) as browser:
        yield browser


@pytest.fixture(autouse=True)
def _blank_page_after(driver):
    yield
    driver.get("about:blank")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_bot_picture_shows_as_its_camera(driver, live_server, platform):
    meeting, url = sim_meeting_factory(live_server)(platform, {"participants": [{"name": "Alice Smith"}]})
    adapter = adapter_class(platform)(driver, bot_name="Notula", camera_on=True)
    adapter.open(url)
    adapter.join()
    assert wait_for(lambda: adapter.snapshot().state == CallState.IN_CALL)
    seen = wait_for(lambda: (m := fresh(meeting)).bot_camera and m.bot_camera["has_image"] and m)
    assert seen, fresh(meeting).bot_camera
    assert seen.bot_camera_on is True and seen.bot_mic_on is False
    red, green, blue = seen.bot_camera["mean_rgb"]
    # Half orange, half blue: the mean sits between the two colours, not on Chromium's green pattern.
    assert 100 < red < 150 and 70 < green < 120 and 100 < blue < 150, seen.bot_camera


def test_the_default_test_pattern_is_not_a_picture(live_server):
    with launch() as browser:
        meeting, url = sim_meeting_factory(live_server)("google_meet", {"participants": [{"name": "Alice"}]})
        adapter = adapter_class("google_meet")(browser, bot_name="Notula", camera_on=True)
        adapter.open(url)
        adapter.join()
        assert wait_for(lambda: fresh(meeting).bot_camera)
        assert fresh(meeting).bot_camera_on is True
        assert fresh(meeting).bot_camera["has_image"] is False
