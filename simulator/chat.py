"""A participant writes in the simulated meeting's chat (the control API, the dashboard's host page).

Like the real clients, the meeting page adds the message to its chat list whether the panel is open
or closed; the bot reads it there.
"""

from django.db import transaction
from django.utils import timezone

from common.errors import Conflict
from simulator.clock import find_person, is_present
from simulator.models import SimMeeting
from simulator.scenario import validate_text
from simulator.services import MAX_CHAT, _check_not_over, _locked, _now_s


@transaction.atomic
def sim_participant_chat(*, meeting: SimMeeting, participant: str, text: str) -> dict:
    """A present participant posts `text` in the chat; returns the message."""
    meeting = _locked(meeting.pk)
    _check_not_over(meeting, "write in the chat")
    text = validate_text(text, "text")
    person = find_person(meeting, participant, _now_s(meeting))
    if person is None or not is_present(person, _now_s(meeting)):
        raise Conflict(
            f"No participant named {participant!r} is in the meeting.", fields={"participant": ["not present"]}
        )
    message = {
        "sender": person["name"],
        "participant_id": person["id"],
        "text": text,
        "at": timezone.now().isoformat(),
    }
    meeting.chat = (meeting.chat + [message])[-MAX_CHAT:]
    meeting.save(update_fields=["chat"])
    return message
