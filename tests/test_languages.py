"""Pages in the browser's language: a bot whose browser speaks German, French or Spanish passes the
launcher pages, the lobby, the call and the leave in that language, on every platform. The simulator
picks the language from Accept-Language as the real clients do; the adapters read their ui.json."""

import json
from pathlib import Path

import pytest
from django.test import override_settings

from bots.browser import launch
from bots.platforms.base import CallState
from bots.platforms.registry import PLATFORMS, adapter_class
from bots.platforms.ui import LANGUAGES
from simulator import services
from simulator.doors import door_links
from simulator.i18n import LANGUAGES as PAGE_LANGUAGES
from tests.sim_helpers import fresh, sim_meeting_factory, wait_for

ROOT = Path(__file__).resolve().parent.parent
# A link shape with a launcher page in front, where the platform has one.
SHAPE = {"zoom": "personal", "google_meet": "calendar", "teams": "meetup_join", "webex": "j_php"}


def test_every_text_is_in_every_language():
    for platform in PLATFORMS:
        ui = json.loads((ROOT / "bots" / "platforms" / platform / "ui.json").read_text())
        for key, by_language in ui["texts"].items():
            assert set(by_language) >= set(LANGUAGES), (platform, key)
        page = json.loads((ROOT / "simulator" / "texts" / f"{platform}.json").read_text())
        for key, by_language in page.items():
            assert set(by_language) >= set(PAGE_LANGUAGES) and all(by_language.values()), (platform, key)


def test_the_page_language_follows_hl_then_accept_language(client, db):
    from accounts.services import organization_get_or_create

    organization = organization_get_or_create(name="Languages")
    meeting = services.sim_meeting_create(organization=organization, platform="zoom", scenario={})
    launcher = door_links(meeting, "http://testserver")["meeting"].replace("http://testserver", "")
    assert "Meeting eröffnen" in client.get(launcher, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert "Lancer la réunion" in client.get(launcher + "&hl=fr", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Launch Meeting" in client.get(launcher, HTTP_ACCEPT_LANGUAGE="ja-JP").content.decode()


@pytest.fixture(scope="module", params=["de", "fr", "es"])
def localized(request):
    with override_settings(BOT_LOCALE={"de": "de-DE", "fr": "fr-FR", "es": "es-ES"}[request.param]):
        with launch() as driver:
            yield driver, request.param


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_bot_in_the_browsers_language(localized, live_server, platform):
    driver, language = localized
    meeting, _ = sim_meeting_factory(live_server)(
        platform, {"lobby": {"policy": "never"}, "participants": [{"name": "Alice Smith"}]}
    )
    try:
        adapter = adapter_class(platform)(driver, bot_name="Notula", language=language)
        adapter.open(door_links(meeting, live_server.url)[SHAPE[platform]])
        adapter.join()
        lobby = adapter.snapshot()
        assert lobby.state == CallState.WAITING_ROOM and lobby.message, lobby
        assert driver.execute_script("return document.documentElement.lang") == language
        services.sim_meeting_admit(meeting=meeting)
        assert wait_for(lambda: adapter.snapshot().state == CallState.IN_CALL)
        assert wait_for(lambda: [(p.name, p.is_host) for p in adapter.snapshot().roster]) == [("Alice Smith", True)]
        assert not fresh(meeting).bot_mic_on
        adapter.leave()
        assert wait_for(lambda: fresh(meeting).bot_state == "left")
        assert adapter.snapshot().state == CallState.ENDED
    finally:
        driver.delete_all_cookies()
        driver.get("about:blank")
