"""Links as users paste them, through the simulator's front doors, in a real Chromium: every published
link shape of every platform gets the adapter to the lobby; launcher pages, cookie banners, redirects
and dialogs are passed on the way."""

import pytest

from bots.browser import launch
from bots.platforms.base import CallState
from bots.platforms.registry import adapter_class
from meetings.meeting_urls import parse_meeting_url
from simulator.doors import door_links
from tests.sim_helpers import fresh, sim_meeting_factory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHAPES = [
    ("zoom", "meeting"),
    ("zoom", "webinar"),
    ("zoom", "start"),
    ("zoom", "personal"),
    ("zoom", "web_client"),
    ("google_meet", "meeting"),
    ("google_meet", "authuser"),
    ("google_meet", "calendar"),
    ("teams", "meetup_join"),
    ("teams", "meet"),
    ("teams", "personal"),
    ("teams", "new_client"),
    ("teams", "launcher"),
    ("teams", "light_meetings"),
    ("webex", "personal_room"),
    ("webex", "join"),
    ("webex", "j_php"),
]


@pytest.fixture(scope="module")
def driver():
    with launch() as browser:
        yield browser


@pytest.fixture(autouse=True)
def _fresh_browser(driver):
    yield
    # Cookie banners show again next time, and the page's polling stops before the database goes.
    driver.delete_all_cookies()
    driver.get("about:blank")


@pytest.fixture
def meeting_for(live_server):
    return sim_meeting_factory(live_server)


def knock_from(driver, platform: str, url: str):
    adapter = adapter_class(platform)(driver, bot_name="Notula")
    adapter.open(url)
    adapter.join()
    return adapter


@pytest.mark.parametrize("platform, shape", SHAPES, ids=[f"{p}-{s}" for p, s in SHAPES])
def test_every_published_link_gets_the_bot_to_the_lobby(driver, live_server, meeting_for, platform, shape):
    meeting, _ = meeting_for(platform, {"lobby": {"policy": "never"}})
    link = door_links(meeting, live_server.url)[shape]
    parsed = parse_meeting_url(link)  # what the API does with a pasted link
    assert parsed.platform == platform
    adapter = knock_from(driver, platform, parsed.join_url)
    assert adapter.snapshot().state == CallState.WAITING_ROOM
    seen = fresh(meeting)
    assert (seen.bot_state, seen.bot_name) == ("lobby", "Notula")


# The pasted link opened as it is, without the normalisation: the launcher pages are passed.
RAW = [("zoom", "meeting"), ("teams", "new_client"), ("teams", "meet"), ("webex", "j_php")]


@pytest.mark.parametrize("platform, shape", RAW, ids=[f"{p}-{s}" for p, s in RAW])
def test_launcher_pages_and_cookie_banners_are_passed(driver, live_server, meeting_for, platform, shape):
    meeting, _ = meeting_for(platform, {"lobby": {"policy": "never"}})
    link = door_links(meeting, live_server.url)[shape]
    knock_from(driver, platform, link)
    assert fresh(meeting).bot_state == "lobby"
    if platform in ("zoom", "webex"):
        assert driver.get_cookie({"zoom": "OptanonAlertBoxClosed", "webex": "notice_behavior"}[platform])
