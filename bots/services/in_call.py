"""Requests to a bot that is in the call: a chat message, a screenshot, a camera picture. They go to its runner as
commands (bots/commands.py); only an admitted bot can act on them."""

from django.core.files.uploadedfile import UploadedFile

from bots.camera import camera_clip_prepare
from bots.commands import BotNotListening, Command, bot_command_send
from bots.models import Bot, BotStatus
from common.errors import ValidationError
from meetings.models import Participant

# The platforms whose meeting chat lets a participant write to one other participant only.
PRIVATE_CHAT_PLATFORMS = ("zoom", "webex")


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


def bot_chat_request(*, bot: Bot, text: str, to: str | None = None) -> Command:
    """Post `text` in the meeting chat: to everyone, or privately to `to` (a participant id from the
    meeting's participants, or the name shown) where the platform's meeting chat has private messages.
    The bot picks the recipient by the name its chat shows."""
    recipient = None
    if to is not None:
        if bot.platform not in PRIVATE_CHAT_PLATFORMS:
            raise ValidationError(
                f"The {bot.get_platform_display()} meeting chat has no private messages to one participant: "
                "leave out `to` to write to everyone.",
                fields={"to": [f"private chat is not available on {bot.platform}"]},
                code="private_chat_unsupported",
                platform=bot.platform,
            )
        # Only a bot in the call has a roster to find the recipient in.
        bot_require_in_call(bot=bot, kind="chat")
        recipient = _chat_recipient(bot, to)
    return bot_in_call_request(bot=bot, kind="chat", payload={"text": text, "to": recipient})


def _chat_recipient(bot: Bot, to: str) -> str:
    """The name of the participant `to` names (by id, else by name), who must be in the meeting now."""
    roster = Participant.objects.filter(meeting_id=bot.meeting_id)
    person = roster.filter(id=to).first() or roster.filter(name=to, left_at__isnull=True).last()
    if person is None or person.left_at is not None:
        raise ValidationError(
            f"No participant {to!r} is in the meeting: give a participant id from the meeting's participants, "
            "or the name shown, of someone present.",
            fields={"to": ["no participant present with this id or name"]},
        )
    return person.name


def bot_camera_request(*, bot: Bot, image_url: str | None = None, upload: UploadedFile | None = None) -> Command:
    """Show a picture (from a URL or an upload) as the bot's camera, or turn it off (neither)."""
    bot_require_in_call(bot=bot, kind="camera")
    clip = None
    if image_url or upload is not None:
        clip = camera_clip_prepare(bot_id=bot.id, image_url=image_url, upload=upload)
    return bot_in_call_request(bot=bot, kind="camera", payload={"clip": clip})


class BotNotInCall(BotNotListening):
    code = "bot_not_in_call"
