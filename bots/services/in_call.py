"""Requests to a bot that is in the call: a chat message, a screenshot, a camera picture. They go to its runner as
commands (bots/commands.py); only an admitted bot can act on them."""

from django.core.files.uploadedfile import UploadedFile

from bots.camera import camera_clip_prepare
from bots.commands import BotNotListening, Command, bot_command_send
from bots.models import Bot, BotStatus


def bot_require_in_call(*, bot: Bot, kind: str) -> None:
    """409 `bot_not_in_call` naming the bot's status unless it is in_call."""
    bot.refresh_from_db(fields=["status"])
    if bot.status != BotStatus.IN_CALL:
        raise BotNotInCall(
            f"Bot {bot.id} is '{bot.status}': only a bot in the call can take '{kind}'.", status=bot.status
        )


def bot_in_call_request(*, bot: Bot, kind: str, payload: dict | None = None) -> Command:
    """Send `kind` to the bot's runner; 409 `bot_not_in_call` unless the bot is in the call."""
    bot_require_in_call(bot=bot, kind=kind)
    return bot_command_send(bot=bot, kind=kind, payload=payload)


def bot_camera_request(*, bot: Bot, image_url: str | None = None, upload: UploadedFile | None = None) -> Command:
    """Show a picture (from a URL or an upload) as the bot's camera, or turn it off (neither)."""
    bot_require_in_call(bot=bot, kind="camera")
    clip = None
    if image_url or upload is not None:
        clip = camera_clip_prepare(bot_id=bot.id, image_url=image_url, upload=upload)
    return bot_in_call_request(bot=bot, kind="camera", payload={"clip": clip})


class BotNotInCall(BotNotListening):
    code = "bot_not_in_call"
