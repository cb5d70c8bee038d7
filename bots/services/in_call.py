"""Requests to a bot that is in the call: a chat message, a screenshot. They go to its runner as
commands (bots/commands.py); only an admitted bot can act on them."""

from bots.commands import BotNotListening, Command, bot_command_send
from bots.models import Bot, BotStatus


def bot_in_call_request(*, bot: Bot, kind: str, payload: dict | None = None) -> Command:
    """Send `kind` to the bot's runner; 409 `bot_not_in_call` naming the status unless it is in_call."""
    bot.refresh_from_db(fields=["status"])
    if bot.status != BotStatus.IN_CALL:
        raise BotNotInCall(
            f"Bot {bot.id} is '{bot.status}': only a bot in the call can take '{kind}'.", status=bot.status
        )
    return bot_command_send(bot=bot, kind=kind, payload=payload)


class BotNotInCall(BotNotListening):
    code = "bot_not_in_call"
