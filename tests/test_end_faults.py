"""Whose fault: every end reason has a side and a sentence; the state machine writes both; the API shows
end_fault and filters by it; the dashboard's bots page too."""

import pytest

from bots.endings import ENDINGS, ending_fault, ending_message
from bots.lifecycle import bot_finish_unadmitted
from bots.models import BotStatus, EndReason
from bots.services import bot_request_leave
from bots.states import bot_apply_event
from tests.dashboard.conftest import make_user
from tests.factories import BotFactory, MeetingFactory


def test_every_end_reason_has_a_side_and_a_sentence():
    assert set(ENDINGS) == set(EndReason.values)
    for reason in EndReason.values:
        assert ending_fault(reason) in ("host", "platform", "notula")
        message = ending_message(reason, platform="teams")
        assert message[0].isupper() and message.endswith("."), message
        assert "{" not in message


@pytest.mark.parametrize(
    "reason, detail, platform, starts, contains",
    [
        (
            "join_step_failed",
            "pre-join screen: name field not found",
            "zoom",
            "pre-join screen: name field not found. ",
            "fallbacks",
        ),
        ("admission_denied", "Someone in the call denied your request to join", "google_meet", "The host", 'said: "'),
        ("login_required", "", "google_meet", "The meeting admits only signed-in users", "join_as"),
        ("login_required", "", "zoom", "The meeting admits only signed-in users", "zoom.zak_token"),
        ("platform_blocked", "a CAPTCHA: Verify you're a real person", "teams", "The platform refused", "CAPTCHA"),
        ("meeting_not_started", "", "webex", "The meeting had not started", "waiting_room_timeout"),
    ],
)
def test_the_sentence_says_what_happened_and_what_to_do(reason, detail, platform, starts, contains):
    message = ending_message(reason, detail, platform=platform)
    assert message.startswith(starts) and contains in message, message
    assert len(ending_message(reason, "x" * 2000, platform=platform)) <= 500


def test_the_state_machine_writes_the_fault_and_a_sentence_for_every_ending(db):
    failed = BotFactory(status=BotStatus.JOINING)
    bot_apply_event(failed, "failed", end_reason=EndReason.UNRECOGNIZED_PAGE)
    failed.refresh_from_db()
    assert (failed.end_fault, failed.end_message) == ("platform", ENDINGS[EndReason.UNRECOGNIZED_PAGE][1])

    asked = BotFactory(status=BotStatus.QUEUED)
    bot_request_leave(bot=asked)
    asked.refresh_from_db()
    assert (asked.status, asked.end_reason, asked.end_fault) == ("ended", "left_by_request", "host")
    assert asked.end_message.startswith("The bot left as asked")

    crashed = BotFactory(status=BotStatus.IN_CALL)
    bot_apply_event(crashed, "failed", end_reason=EndReason.BOT_CRASHED, message="RuntimeError: boom. The bot crashed.")
    crashed.refresh_from_db()
    assert (crashed.end_fault, crashed.end_message) == ("notula", "RuntimeError: boom. The bot crashed.")
    event = crashed.meeting.events.filter(type="bot.status_changed").last()
    assert event.payload["end_fault"] == "notula"


def _ended(organization, reason: str, **fields):
    bot = BotFactory(meeting=MeetingFactory(organization=organization), status=BotStatus.JOINING, **fields)
    if ending_fault(reason) == "notula":
        bot_apply_event(bot, "failed", end_reason=reason)
    else:
        bot_finish_unadmitted(bot=bot, end_reason=reason)
    bot.refresh_from_db()
    return bot


def test_the_api_shows_end_fault_and_filters_by_it(api):
    host = _ended(api.organization, EndReason.ADMISSION_DENIED)
    platform = _ended(api.organization, EndReason.PLATFORM_BLOCKED)
    notula = _ended(api.organization, EndReason.JOIN_STEP_FAILED)
    running = BotFactory(meeting=MeetingFactory(organization=api.organization), status=BotStatus.IN_CALL)

    def ids(query: str) -> set[str]:
        response = api.get(f"/api/v1/bots?{query}")
        assert response.status_code == 200, response.json()
        return {b["id"] for b in response.json()["results"]}

    assert ids("end_fault=platform") == {platform.id}
    assert ids("end_fault=host,notula") == {host.id, notula.id}
    assert ids("end_reason=join_step_failed") == {notula.id}
    detail = api.get(f"/api/v1/bots/{notula.id}").json()
    assert (detail["end_reason"], detail["end_fault"]) == ("join_step_failed", "notula")
    assert detail["end_message"].startswith("The platform's page did not have")
    assert api.get(f"/api/v1/bots/{running.id}").json()["end_fault"] is None
    bad = api.get("/api/v1/bots?end_fault=someone").json()["error"]
    assert list(bad["fields"]) == ["end_fault"]


def test_the_dashboard_filters_bots_by_fault(client, api):
    client.force_login(make_user("fault-viewer", api.organization))
    host = _ended(api.organization, EndReason.MEETING_ENDED)
    platform = _ended(api.organization, EndReason.PLATFORM_BLOCKED)
    page = client.get("/dashboard/bots/?fault=platform").content.decode()
    assert platform.id in page and host.id not in page
    assert "data-end-fault>platform<" in page and "The platform refused the bot" in page
    assert host.id in client.get("/dashboard/bots/").content.decode()
