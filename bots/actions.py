"""What a bot in the call does on a command other than `leave`: post in the chat, show another picture
as its camera (or none), take a screenshot; speaking and pausing are handed to the call's actions.

Each returns "" when done, else a sentence that the runner records on the command's `command_done`
event (bots/commands.py): a failed action never ends the call.
"""

import logging

from bots.camera import camera_clip_swap
from bots.chat import chat_recipient_choose
from bots.screenshots import screenshot_take

log = logging.getLogger(__name__)


def command_act(session, command) -> str:
    """Act on `command` for `session` (a BotSession in the call); returns the error, or ""."""
    handler = HANDLERS.get(command.kind)
    if handler is None:
        # Speaking and pausing belong to the call's own actions (bots/call_actions.py).
        if session.actions is not None:
            session.actions.handle(command)
        return ""
    if session.adapter is None or session.chat is None:
        return f"'{command.kind}' needs the bot in the call; it was not yet admitted."
    try:
        return handler(session, command.payload)
    except Exception as exc:
        log.warning("Bot %s: command %s failed", session.bot.id, command.id, exc_info=True)
        return f"{command.kind} failed: {exc}"


def _chat(session, payload: dict) -> str:
    chat_recipient_choose(session.adapter, payload.get("to"))  # the name shown; None: everyone
    session.adapter.send_chat(payload["text"])
    session.chat.poll(force=True)  # the bot's own message, stored at once
    return ""


def _screenshot(session, payload: dict) -> str:
    taken = screenshot_take(bot=session.bot, driver=session.driver, trigger="on_demand")
    return "" if taken is not None else "The browser gave no screenshot."


def _camera(session, payload: dict) -> str:
    adapter = session.adapter
    clip = payload.get("clip")
    if clip is None:
        adapter._set_device("camera", False)
        return ""
    if session.launch_clip is None:
        return "The bot's browser started without a camera clip to replace."
    camera_clip_swap(launch_clip=session.launch_clip, clip=clip)
    # Off, then on: the page's new capture opens the clip again and shows the new picture.
    adapter._set_device("camera", False)
    adapter._set_device("camera", True)
    return ""


HANDLERS = {"chat": _chat, "camera": _camera, "screenshot": _screenshot}
