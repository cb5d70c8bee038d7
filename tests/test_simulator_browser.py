"""Each platform's adapter against the simulator's page for that platform, in a real Chromium.

One browser for the module, launched as a bot's (with the runner's capture script); each test opens a
fresh meeting. The capture checks that a spoken line arrives as sound on the participants' WebRTC tracks.
"""

import time

import pytest

from bots.browser import launch
from bots.capture import AudioCapture, peak
from bots.platforms.base import CallState, JoinBlocked, LoginRequired, MeetingNotFound
from bots.platforms.registry import adapter_class
from simulator import services
from tests.sim_helpers import fresh, sim_meeting_factory, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLATFORMS = ["google_meet", "teams", "zoom", "webex"]


@pytest.fixture(scope="module")
def driver():
    with launch() as browser:  # the bot's own browser, with the runner's capture script installed
        yield browser


def audible_capture(driver, timeout: float = 10.0) -> tuple[int, int]:
    """(largest sample seen, remote tracks) from the runner's capture, once a line was heard."""
    capture, loudest = AudioCapture(driver), 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and loudest < 2000:
        loudest = max([loudest] + [peak(pcm) for pcm, _ in capture.drain()])
        time.sleep(0.2)
    return loudest, capture.status.tracks


@pytest.fixture(autouse=True)
def _blank_page_after(driver):
    yield
    # Stop the page's polling before the test's database goes away.
    driver.get("about:blank")


@pytest.fixture
def meeting_for(live_server):
    return sim_meeting_factory(live_server)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_join_lobby_admit_roster_speech_chat_leave(driver, meeting_for, platform):
    meeting, url = meeting_for(
        platform,
        {
            "lobby": {"policy": "admit", "after_s": 1},
            "participants": [
                {"name": "Alice Smith", "voice": "en-us"},
                {"name": "Bob Jones", "voice": "en-gb", "joins_at_s": 0.5, "leaves_at_s": 4},
            ],
            "script": [{"at_s": 1.5, "speaker": "Alice Smith", "text": "Good morning everyone, this is the plan."}],
        },
    )
    adapter = adapter_class(platform)(driver, bot_name="Notula Bot")
    adapter.open(url)
    adapter.join()
    assert adapter.snapshot().state == CallState.WAITING_ROOM
    assert fresh(meeting).bot_state == "lobby"
    assert wait_for(lambda: adapter.snapshot().state == CallState.IN_CALL)
    adapter.enable_captions()

    assert wait_for(lambda: "Bob Jones" in {p.name for p in adapter.snapshot().roster})
    snap = adapter.snapshot()
    assert "Notula Bot" not in {p.name for p in snap.roster}
    assert {p.name: p.is_host for p in snap.roster}["Alice Smith"] is True
    speaking = wait_for(lambda: [p.name for p in adapter.snapshot().roster if p.is_speaking])
    assert speaking == ["Alice Smith"]
    captions = wait_for(lambda: adapter.snapshot().captions)
    assert captions[0].speaker == "Alice Smith" and "this is the plan" in captions[0].text
    assert wait_for(lambda: "Bob Jones" not in {p.name for p in adapter.snapshot().roster})
    loudest, tracks = audible_capture(driver)
    assert loudest >= 2000 and tracks >= 2, (loudest, tracks)  # Alice's line heard; a track each for Alice, Bob

    adapter.send_chat("Notula is recording this meeting.")
    assert wait_for(lambda: fresh(meeting).chat)
    assert fresh(meeting).chat[0]["text"] == "Notula is recording this meeting."
    seen = fresh(meeting)
    assert (seen.bot_name, seen.bot_mic_on, seen.bot_camera_on) == ("Notula Bot", False, False)

    adapter.leave()
    assert wait_for(lambda: fresh(meeting).bot_state == "left")
    assert adapter.snapshot().state == CallState.ENDED


@pytest.mark.parametrize("platform", PLATFORMS)
def test_denied(driver, meeting_for, platform):
    meeting, url = meeting_for(platform, {"lobby": {"policy": "deny", "after_s": 0.5}})
    adapter = adapter_class(platform)(driver, bot_name="Notula")
    adapter.open(url)
    adapter.join()
    assert wait_for(lambda: adapter.snapshot().state == CallState.DENIED)
    assert adapter.snapshot().message


@pytest.mark.parametrize("platform", PLATFORMS)
def test_removed_then_ended(driver, meeting_for, platform):
    meeting, url = meeting_for(platform, {"participants": [{"name": "Alice Smith"}]})
    adapter = adapter_class(platform)(driver, bot_name="Notula")
    adapter.open(url)
    adapter.join()
    assert wait_for(lambda: adapter.snapshot().state == CallState.IN_CALL)
    services.sim_meeting_remove_bot(meeting=meeting)
    assert wait_for(lambda: adapter.snapshot().state == CallState.REMOVED)

    ending, url = meeting_for(platform, {"participants": [{"name": "Alice Smith"}], "ends_at_s": 1})
    adapter.open(url)
    adapter.join()
    assert wait_for(lambda: adapter.snapshot().state == CallState.ENDED)
    assert fresh(ending).status == "ended"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_never_admitted_stays_in_the_lobby_and_can_cancel(driver, meeting_for, platform):
    meeting, url = meeting_for(platform, {"lobby": {"policy": "never"}})
    adapter = adapter_class(platform)(driver, bot_name="Notula")
    adapter.open(url)
    adapter.join()
    time.sleep(1)
    assert adapter.snapshot().state == CallState.WAITING_ROOM
    adapter.leave()
    assert wait_for(lambda: fresh(meeting).bot_state == "left")
    assert fresh(meeting).admitted_at is None


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize(
    "access, error, state",
    [("blocked", JoinBlocked, CallState.BLOCKED), ("login_required", LoginRequired, CallState.LOGIN_REQUIRED)],
)
def test_refused_screens(driver, meeting_for, platform, access, error, state):
    meeting, url = meeting_for(platform, {"access": access})
    adapter = adapter_class(platform)(driver, bot_name="Notula")
    adapter.open(url)
    assert adapter.snapshot().state == state
    with pytest.raises(error):
        adapter.join()
    assert fresh(meeting).knocked_at is None


@pytest.mark.parametrize("platform", PLATFORMS)
def test_not_found(driver, live_server, platform):
    adapter = adapter_class(platform)(driver, bot_name="Notula")
    adapter.open(f"{live_server.url}/simulator/{platform}/sim_NoSuchMeeting")
    assert adapter.snapshot().state == CallState.NOT_FOUND
    with pytest.raises(MeetingNotFound):
        adapter.join()


def test_webex_inside_the_web_apps_frame(driver, meeting_for):
    meeting, url = meeting_for("webex", {"participants": [{"name": "Alice Smith"}]})
    adapter = adapter_class("webex")(driver, bot_name="Notula")
    adapter.open(f"{url}?frame=1")
    adapter.join()
    assert wait_for(lambda: adapter.snapshot().state == CallState.IN_CALL)
    assert [p.name for p in adapter.snapshot().roster] == ["Alice Smith"]
    adapter.send_chat("Hello from inside the frame")
    assert wait_for(lambda: fresh(meeting).chat)
    adapter.leave()
    assert wait_for(lambda: fresh(meeting).bot_state == "left")


def test_a_reopened_page_shows_where_the_bot_is(driver, meeting_for):
    meeting, url = meeting_for("zoom", {"participants": [{"name": "Alice Smith"}]})
    adapter = adapter_class("zoom")(driver, bot_name="Notula")
    adapter.open(url)
    adapter.join()
    assert wait_for(lambda: adapter.snapshot().state == CallState.IN_CALL)
    adapter.open(url)  # the runner reloading the tab
    adapter.join()
    assert wait_for(lambda: adapter.snapshot().state == CallState.IN_CALL)
    assert [p.name for p in adapter.snapshot().roster] == ["Alice Smith"]
