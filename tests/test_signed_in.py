"""Signed-in bots, whole, in a real Chromium: a meeting that admits only signed-in users lets a bot in
that joins as a stored account (Google for Meet, Microsoft for Teams), under the account's name; the
next bot reuses the session; an anonymous bot, an account with a second sign-in step and a wrong
password each end with login_required and a sentence that says what to do."""

import pytest

from accounts.bot_accounts import bot_account_create
from accounts.models import BotAccount
from simulator import services as sim
from simulator.accounts import sim_account_create
from simulator.doors import door_links
from simulator.models import SimAccount, SimMeeting
from tests.factories import BotFactory, MeetingFactory
from tests.test_session import start

pytestmark = [pytest.mark.browser]
PROVIDER = {"google_meet": "google", "teams": "microsoft"}
SHAPE = {"google_meet": "calendar", "teams": "meetup_join"}
SIGN_IN_ONLY = {"access": "login_required", "participants": [{"name": "Alice Smith"}], "ends_at_s": 1}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def world(transactional_db, live_server, media, settings):
    from accounts.services import organization_get_or_create

    settings.BOT_PAGE_TIMEOUT_S = 8
    organization = organization_get_or_create(name="Signed in")

    def bot_for(platform: str, scenario: dict, account: BotAccount | None = None):
        meeting = sim.sim_meeting_create(organization=organization, platform=platform, scenario=scenario)
        url = door_links(meeting, live_server.url)[SHAPE[platform]]
        bot = BotFactory(
            meeting=MeetingFactory(organization=organization, meeting_url=url, platform=platform), join_as=account
        )
        return meeting, bot

    def account(platform: str, email: str, password: str = "right horse", *, stored: str = "", **extra):
        sim_account_create(
            organization=organization,
            provider=PROVIDER[platform],
            email=email,
            password=password,
            display_name="Acme Notetaker",
            **extra,
        )
        return bot_account_create(
            organization=organization, provider=PROVIDER[platform], email=email, password=stored or password
        )

    return bot_for, account


def finished(bot):
    start(bot).join(90)
    bot.refresh_from_db()
    return bot


@pytest.mark.parametrize("platform", ["google_meet", "teams"])
def test_a_signed_in_bot_enters_a_meeting_that_refuses_guests_and_the_next_one_reuses_its_session(world, platform):
    bot_for, account_for = world
    account = account_for(platform, f"notetaker@{platform.replace('_', '')}.example")
    meeting, bot = bot_for(platform, SIGN_IN_ONLY, account)
    bot = finished(bot)
    assert (bot.status, bot.end_reason) == ("ended", "meeting_ended"), bot.end_message
    seen = SimMeeting.objects.get(pk=meeting.pk)
    assert (seen.bot_state, seen.bot_name) == ("in_call", "Acme Notetaker")  # joined under the account's name
    directory = SimAccount.objects.get(email=account.email)
    account.refresh_from_db()
    assert directory.sign_ins == 1 and account.session_encrypted and account.status == "ready"
    first_saved = account.session_saved_at

    again, second = bot_for(platform, SIGN_IN_ONLY, account)
    second = finished(second)
    assert (second.status, second.end_reason) == ("ended", "meeting_ended"), second.end_message
    assert SimMeeting.objects.get(pk=again.pk).bot_name == "Acme Notetaker"
    directory.refresh_from_db()
    account.refresh_from_db()
    assert directory.sign_ins == 1, "the kept session let the second bot in without a password"
    assert account.session_saved_at > first_saved, "and was renewed"


@pytest.mark.parametrize("platform", ["google_meet", "teams"])
def test_an_anonymous_bot_is_told_to_sign_in(world, platform):
    bot_for, _ = world
    meeting, bot = bot_for(platform, SIGN_IN_ONLY)
    bot = finished(bot)
    assert (bot.status, bot.end_reason, bot.end_fault) == ("ended", "login_required", "host")
    assert "signed-in users" in bot.end_message and "join_as" in bot.end_message
    assert SimMeeting.objects.get(pk=meeting.pk).knocked_at is None


@pytest.mark.parametrize("platform", ["google_meet", "teams"])
@pytest.mark.parametrize(
    "extra, words",
    [({"second_step": True}, "second sign-in step"), ({"stored": "wrong horse"}, "refused its password")],
    ids=["second-step", "wrong-password"],
)
def test_an_account_that_cannot_sign_in_ends_the_bot_saying_what_to_do(world, platform, extra, words):
    bot_for, account_for = world
    account = account_for(platform, f"locked@{platform.replace('_', '')}.example", **extra)
    _, bot = bot_for(platform, SIGN_IN_ONLY, account)
    bot = finished(bot)
    assert (bot.status, bot.end_reason) == ("ended", "login_required")
    assert words in bot.end_message and account.email in bot.end_message, bot.end_message
    account.refresh_from_db()
    assert account.status == "needs_attention" and words in account.status_message
    assert bot.debug_screenshot and bot.debug_html
