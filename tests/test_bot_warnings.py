"""What a bot could not do as asked is said on the bot (`warnings`) and in its history, not only logged."""

import pytest

from bots.lifecycle import BotWarning, bot_add_warning
from bots.models import BotEvent
from tests.factories import BotFactory, MeetingFactory
from tests.test_session import engine_adapter_for_all, start, status_of, wait_for  # noqa: F401


def test_a_warning_is_on_the_bot_in_the_api_and_in_its_history(api):
    bot = BotFactory(meeting=MeetingFactory(organization=api.organization), status="in_call")
    bot_add_warning(bot=bot, code=BotWarning.NO_VIDEO)
    bot_add_warning(bot=bot, code=BotWarning.CAMERA_OFF, message="Camera off: bot_image_url is not an image.")

    data = api.get(f"/api/v1/bots/{bot.id}").json()
    assert [w["code"] for w in data["warnings"]] == ["no_video", "camera_off"]
    assert "audio only" in data["warnings"][0]["message"] and data["warnings"][0]["at"]
    assert data["warnings"][1]["message"] == "Camera off: bot_image_url is not an image."
    history = [e for e in data["events"] if e["event"] == "warning"]
    assert [e["data"]["code"] for e in history] == ["no_video", "camera_off"]
    assert all(e["old_status"] == e["new_status"] == "in_call" for e in history)
    assert BotEvent.objects.filter(bot=bot, event="warning").count() == 2


def test_a_new_bot_has_no_warnings(api):
    created = api.post("/api/v1/bots", {"meeting_url": "https://meet.google.com/abc-defg-hij"}).json()
    assert created["warnings"] == []


@pytest.mark.browser
def test_an_unusable_image_and_a_closed_chat_are_warnings_the_call_goes_on(transactional_db, pages, media):  # noqa: F811
    bot = BotFactory(
        meeting_url=f"{pages}?admit=0&join=Alice@0.2&nochat=1",
        entry_message="Notula is recording.",
        bot_image_url=pages,  # an HTML page, not an image
    )
    thread = start(bot)
    wait_for(lambda: status_of(bot) == "in_call")
    wait_for(lambda: len(type(bot).objects.get(pk=bot.pk).warnings) == 2)
    from bots.services import bot_request_leave

    bot_request_leave(bot=bot)
    thread.join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "left_by_request")
    codes = [w["code"] for w in bot.warnings]
    assert codes == ["camera_off", "entry_message_not_sent"]
    assert "not an image" in bot.warnings[0]["message"]
