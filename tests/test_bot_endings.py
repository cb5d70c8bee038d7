"""Failures that say whose fault, with whole bots in a real Chromium: each platform page that keeps a
bot out (a CAPTCHA, "you can't join", sign-in only, a meeting not started, an unknown page, a
redesigned pre-join screen) ends the bot with its documented end_reason, end_fault and a sentence in
end_message, with the page's screenshot and HTML attached."""

import pytest

from bots.platforms.registry import PLATFORMS
from simulator import services as sim
from simulator.doors import door_links
from tests.factories import BotFactory, MeetingFactory
from tests.test_session import start

pytestmark = [pytest.mark.browser]
# A published link of each platform, through its launcher where it has one.
SHAPE = {"zoom": "meeting", "google_meet": "calendar", "teams": "meetup_join", "webex": "personal_room"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def link_bot(transactional_db, live_server, media, settings):
    """make(platform, scenario, **rules) -> (simulated meeting, a bot sent to its published link)."""
    from accounts.services import organization_get_or_create

    settings.BOT_PAGE_TIMEOUT_S = 6
    organization = organization_get_or_create(name="Endings")

    def make(platform: str, scenario: dict, **rules):
        meeting = sim.sim_meeting_create(organization=organization, platform=platform, scenario=scenario)
        url = door_links(meeting, live_server.url)[SHAPE[platform]]
        bot = BotFactory(meeting=MeetingFactory(organization=organization, meeting_url=url, platform=platform))
        bot.settings["automatic_leave"].update(rules)
        bot.save()
        return meeting, bot

    return make


ENDINGS = [
    # scenario, rules, status, end_reason, end_fault, words of end_message
    ({"access": "captcha"}, {}, "ended", "platform_blocked", "platform", ["CAPTCHA", "refused"]),
    ({"access": "blocked"}, {}, "ended", "platform_blocked", "platform", ["refused the bot"]),
    ({"access": "login_required"}, {}, "ended", "login_required", "host", ["signed-in users"]),
    (
        {"lobby": {"policy": "not_started"}},
        {"waiting_room_timeout": 2},
        "ended",
        "meeting_not_started",
        "host",
        ["host never came"],
    ),
    ({"access": "unknown_page"}, {}, "failed", "unrecognized_page", "platform", ["none the", "adapter knows"]),
    (
        {"page_changes": ["name_field_removed"]},
        {},
        "failed",
        "join_step_failed",
        "notula",
        ["pre-join screen: name field not found"],
    ),
]
IDS = ["captcha", "blocked", "login", "not-started", "unknown-page", "step-failed"]


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize(("scenario", "rules", "status", "reason", "fault", "words"), ENDINGS, ids=IDS)
def test_a_bot_kept_out_says_why_and_whose_fault(link_bot, platform, scenario, rules, status, reason, fault, words):
    meeting, bot = link_bot(platform, scenario, **rules)
    start(bot).join(90)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason, bot.end_fault) == (status, reason, fault), bot.end_message
    for word in words:
        assert word in bot.end_message, bot.end_message
    assert bot.joined_at is None and not bot.meeting.recordings.exists()
    assert bot.debug_screenshot and bot.debug_html


def test_a_renamed_name_field_is_found_by_its_fallback(link_bot):
    for platform in PLATFORMS:
        meeting, bot = link_bot(platform, {"page_changes": ["name_field_renamed"], "ends_at_s": 0.5})
        start(bot).join(90)
        bot.refresh_from_db()
        assert (bot.status, bot.end_reason) == ("ended", "meeting_ended"), (platform, bot.end_message)
        assert bot.end_fault == "host" and bot.end_message.startswith("The meeting ended for everyone.")
