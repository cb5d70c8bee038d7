"""What a bot in the call does on a command other than `leave`: post in the chat, take a screenshot.

Each returns "" when done, else a sentence that the runner records on the command's `command_done`
event (bots/commands.py): a failed action never ends the call.
"""

import logging

from bots.screenshots import screenshot_take

log = logging.getLogger(__name__)


def command_act(session, command) -> str:
    """Act on `command` for `session` (a BotSession in the call); returns the error, or ""."""
    handler = HANDLERS.get(command.kind)
    if handler is None:
        return ""
    if session.adapter is None or session.chat is None:
        return f"'{command.kind}' needs the bot in the call; it was not yet admitted."
    try:
        return handler(session, command.payload)
    except Exception as exc:
        log.warning("Bot %s: command %s failed", session.bot.id, command.id, exc_info=True)
        return f"{command.kind} failed: {exc}"


def _chat(session, payload: dict) -> str:
    session.adapter.send_chat(payload["text"])
    session.chat.poll(force=True)  # the bot's own message, stored at once
    return ""


def _screenshot(session, payload: dict) -> str:
    taken = screenshot_take(bot=session.bot, driver=session.driver, trigger="on_demand")
    return "" if taken is not None else "The browser gave no screenshot."


HANDLERS = {"chat": _chat, "screenshot": _screenshot}
