"""A crashed bot's end_message is a sentence for people; the exception's type stays in its history."""

import pytest
from selenium.common.exceptions import SessionNotCreatedException, TimeoutException, WebDriverException

from bots import lifecycle
from bots.failures import GENERIC, failure_message
from bots.platforms.base import JoinBlocked, UiError
from tests.factories import BotFactory, MeetingFactory


@pytest.mark.parametrize(
    "exc,words",
    [
        (UiError("The pre-join screen did not appear."), "did not behave as the bot expected: The pre-join screen"),
        (JoinBlocked("No join button on the pre-join screen."), "No join button"),
        (TimeoutException("Message: timeout: Timed out receiving message from renderer: 10.000"), "too long"),
        (SessionNotCreatedException("session not created: Chrome failed to start"), "could not be started"),
        (WebDriverException("disconnected: not connected to DevTools"), "stopped working"),
        (OSError(28, "No space left on device"), "read or write"),
        (KeyError("roster"), "unexpected error"),
        (RuntimeError("the page broke"), "unexpected error"),
    ],
)
def test_failure_messages_are_sentences(exc, words):
    message = failure_message(exc)
    assert words in message and message.endswith((".", "'s log."))
    assert type(exc).__name__ not in message and "Message:" not in message and "DevTools" not in message


def test_a_crash_reads_as_a_sentence_in_the_api_with_the_type_in_the_history(api):
    bot = BotFactory(meeting=MeetingFactory(organization=api.organization), status="in_call")
    exc = KeyError("roster")
    lifecycle.bot_crash(bot=bot, message=failure_message(exc), error_type=type(exc).__name__)
    data = api.get(f"/api/v1/bots/{bot.id}").json()
    assert (data["status"], data["end_reason"], data["end_message"]) == ("failed", "bot_crashed", GENERIC)
    [failed] = [e for e in data["events"] if e["event"] == "failed"]
    assert failed["data"] == {"error_type": "KeyError"}
