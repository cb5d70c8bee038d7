"""The simulated meeting's chat: participants and the bot write in it (the control API, the dashboard's
host page, the meeting page), to everyone or, on the platforms whose clients allow it, to one person.

Like the real clients, the meeting page adds the message to its chat list whether the panel is open
or closed; the bot reads it there. A private message (`to`: the recipient's participant id, or "bot")
is shown only to its sender and its recipient.
"""

from django.db import transaction
from django.utils import timezone

from common.errors import Conflict, ValidationError
from simulator.clock import find_person, is_present
from simulator.models import BotSimState, SimMeeting, SimStatus
from simulator.scenario import validate_text
from simulator.services import MAX_CHAT, _check_not_over, _locked, _now_s

# The platforms whose meeting chat has a recipient chooser (Everyone, or one participant).
PRIVATE_CHAT_PLATFORMS = ("zoom", "webex")
BOT = "bot"


def _private_allowed(meeting: SimMeeting, field: str) -> None:
    if meeting.platform not in PRIVATE_CHAT_PLATFORMS:
        raise ValidationError(
            f"The {meeting.platform} meeting chat has no private messages.", fields={field: ["not on this platform"]}
        )


def _post(meeting: SimMeeting, message: dict) -> dict:
    meeting.chat = (meeting.chat + [message])[-MAX_CHAT:]
    meeting.save(update_fields=["chat"])
    return message


@transaction.atomic
def sim_participant_chat(*, meeting: SimMeeting, participant: str, text: str, to: str | None = None) -> dict:
    """A present participant posts `text` in the chat, to everyone or to `to` (a participant's name,
    or the bot's); returns the message."""
    meeting = _locked(meeting.pk)
    _check_not_over(meeting, "write in the chat")
    text = validate_text(text, "text")
    now = _now_s(meeting)
    person = find_person(meeting, participant, now)
    if person is None or not is_present(person, now):
        raise Conflict(
            f"No participant named {participant!r} is in the meeting.", fields={"participant": ["not present"]}
        )
    message = {"sender": person["name"], "participant_id": person["id"], "text": text, "to": None, "to_name": None}
    if to:
        _private_allowed(meeting, "to")
        if to == meeting.bot_name:
            message.update(to=BOT, to_name=meeting.bot_name)
        else:
            recipient = find_person(meeting, to, now)
            if recipient is None or not is_present(recipient, now):
                raise Conflict(f"No participant named {to!r} is in the meeting.", fields={"to": ["not present"]})
            message.update(to=recipient["id"], to_name=recipient["name"])
    return _post(meeting, {**message, "at": timezone.now().isoformat()})


@transaction.atomic
def sim_bot_chat(*, meeting: SimMeeting, text: str, to: str | None = None) -> dict:
    """The bot posted a chat message, to everyone or to `to` (a present participant's id)."""
    meeting = _locked(meeting.pk)
    if meeting.bot_state != BotSimState.IN_CALL or meeting.status == SimStatus.ENDED:
        raise Conflict("Only a participant in the call can chat.")
    message = {"sender": meeting.bot_name, "text": validate_text(text, "text"), "to": None, "to_name": None}
    if to:
        _private_allowed(meeting, "to")
        now = _now_s(meeting)
        recipient = next((p for p in meeting.people if p["id"] == to and is_present(p, now)), None)
        if recipient is None:
            raise Conflict("The recipient is not in the meeting.", fields={"to": ["not present"]})
        message.update(to=recipient["id"], to_name=recipient["name"])
    return _post(meeting, {**message, "at": timezone.now().isoformat()})


def chat_visible_to(message: dict, viewer: str) -> bool:
    """Whether `viewer` (a participant id, or "bot") sees `message` in their chat list."""
    to = message.get("to")
    if not to:
        return True
    sender = message.get("participant_id") or BOT
    return viewer in (sender, to)
