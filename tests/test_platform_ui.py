"""The adapters' page data (bots/platforms/<platform>/ui.json): every placeholder names a text, every
text is in every language, the bot's language comes first."""

import pytest

from bots.platforms.registry import PLATFORMS
from bots.platforms.ui import PlatformUi, bot_language

REQUIRED = {"name_field", "prejoin_marker", "join_button", "mic_on", "mic_off", "camera_on", "camera_off", "leave"}


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_every_selector_expands_and_every_flow_element_is_there(platform, language):
    ui = PlatformUi(platform, language)
    assert REQUIRED <= set(ui.elements)
    for element in ui.elements.values():
        for spec in element.specs:
            assert "{" not in spec.get("css", ""), (platform, element.name, spec)
            assert spec.get("css") or spec.get("texts"), (platform, element.name)
    for door in ui.doors:
        assert door.click and door.when, door
    data = ui.script_data()
    assert {"lobby", "ended", "not_found"} <= set(data["t"]) and "in_call_marker" in data["s"]


def test_the_bots_language_comes_first_and_english_next():
    ui = PlatformUi("zoom", "de")
    assert ui.texts("launch_meeting")[:2] == ["Meeting eröffnen", "Launch Meeting"]
    assert set(ui.texts("launch_meeting")) >= {"Lancer la réunion", "Iniciar reunión"}
    css = ui.css('button[aria-label="{leave}"]')
    assert css.split(", ")[:2] == ['button[aria-label="Verlassen"]', 'button[aria-label="Leave"]']


@pytest.mark.parametrize(
    "locale, language", [("de-DE", "de"), ("fr_CA", "fr"), ("es", "es"), ("en-GB", "en"), ("ja-JP", "en"), ("", "en")]
)
def test_bot_language(locale, language, settings):
    settings.BOT_LOCALE = "en-US"
    assert bot_language(locale) == language
