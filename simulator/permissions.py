"""What a simulated meeting asks of its bot besides a name: a Zoom token in the web client's address
(for meetings that admit only authorized users), and the host's permission to record.

Recording permission (`scenario.recording_permission`, Zoom's page): once in the call the page says the
host must allow recording; the bot asks; the host answers by the scenario's policy after `after_s`, or
through the control API (`allow_recording`, `deny_recording`)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from common.errors import Conflict
from simulator.models import BotSimState, SimMeeting

TOKEN_KINDS = ("zak", "obf")


def recording_rule(meeting: SimMeeting, now) -> list[str]:
    """The scenario's answer to a request to record, once due; the fields it changed."""
    policy = meeting.scenario.get("recording_permission")
    if not policy or meeting.bot_recording != "asked" or policy["policy"] == "never":
        return []
    if now - meeting.recording_asked_at < timedelta(seconds=policy["after_s"]):
        return []
    meeting.bot_recording = "granted" if policy["policy"] == "grant" else "denied"
    return ["bot_recording"]


def _locked(meeting: SimMeeting) -> SimMeeting:
    return SimMeeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def sim_bot_token(*, meeting: SimMeeting, kind: str, token: str) -> SimMeeting:
    """The web client was opened with a Zoom token (`zak=` or `obf=`): the bot is an authorized user."""
    meeting = _locked(meeting)
    meeting.bot_auth = {"kind": kind, "token": token}
    meeting.save(update_fields=["bot_auth"])
    return meeting


@transaction.atomic
def sim_bot_ask_recording(*, meeting: SimMeeting) -> SimMeeting:
    """The bot asked the host for permission to record."""
    meeting = _locked(meeting)
    if not meeting.scenario.get("recording_permission") or meeting.bot_state != BotSimState.IN_CALL:
        raise Conflict("This meeting asks for no permission to record, or the bot is not in the call.")
    if not meeting.bot_recording:
        meeting.bot_recording, meeting.recording_asked_at = "asked", timezone.now()
        meeting.save(update_fields=["bot_recording", "recording_asked_at"])
    return meeting


def _answer(meeting: SimMeeting, answer: str) -> SimMeeting:
    meeting = _locked(meeting)
    if meeting.bot_recording != "asked":
        raise Conflict(
            f"The bot has not asked for permission to record (it is {meeting.bot_recording or 'not asked'})."
        )
    meeting.bot_recording = answer
    meeting.save(update_fields=["bot_recording"])
    return meeting


@transaction.atomic
def sim_meeting_allow_recording(*, meeting: SimMeeting) -> SimMeeting:
    """The host allows the bot to record."""
    return _answer(meeting, "granted")


@transaction.atomic
def sim_meeting_deny_recording(*, meeting: SimMeeting) -> SimMeeting:
    """The host refuses the bot's request to record."""
    return _answer(meeting, "denied")
