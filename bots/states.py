"""The bot state machine: the transition table and `bot_apply_event`, the only writer of status.

    scheduled -> queued -> joining -> waiting_room -> in_call -> leaving -> post_processing -> ended
                                   \\-----------------^                  \\-------------------^
    and `failed` from any state that is not terminal.

A bot that was never admitted goes leaving -> ended directly: it has nothing to post-process and
must never look like a bot that recorded the meeting.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from bots.endings import ending_fault, ending_message
from bots.models import Bot, BotEvent, BotStatus, EndReason
from common.errors import Conflict, ValidationError
from meetings.events import EventType, publish

S = BotStatus
ACTIVE = frozenset({S.SCHEDULED, S.QUEUED, S.JOINING, S.WAITING_ROOM, S.IN_CALL, S.LEAVING, S.POST_PROCESSING})
TERMINAL = frozenset({S.ENDED, S.FAILED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: BotStatus
    needs_end_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    "dispatch": Transition(frozenset({S.SCHEDULED}), S.QUEUED),
    # No worker started it in time: handed to the queue once more (see bots/reaper.py).
    "requeued": Transition(frozenset({S.QUEUED}), S.QUEUED),
    "join_started": Transition(frozenset({S.QUEUED}), S.JOINING),
    "entered_waiting_room": Transition(frozenset({S.JOINING}), S.WAITING_ROOM),
    "admitted": Transition(frozenset({S.JOINING, S.WAITING_ROOM}), S.IN_CALL),
    "recording_changed": Transition(frozenset({S.IN_CALL}), S.IN_CALL),
    "leave_started": Transition(
        frozenset({S.SCHEDULED, S.QUEUED, S.JOINING, S.WAITING_ROOM, S.IN_CALL}), S.LEAVING, True
    ),
    "left": Transition(frozenset({S.LEAVING}), S.POST_PROCESSING),
    "ended": Transition(frozenset({S.LEAVING, S.POST_PROCESSING}), S.ENDED),
    "failed": Transition(ACTIVE, S.FAILED, True),
}


class IllegalTransition(Conflict):
    code = "illegal_transition"


def can_apply(status: str, event: str) -> bool:
    transition = TRANSITIONS.get(event)
    return transition is not None and status in transition.sources


def bot_apply_event(
    bot: Bot,
    event: str,
    *,
    end_reason: str = "",
    message: str = "",
    recording_state: str = "",
    **data: Any,
) -> Bot:
    """Apply `event` to the bot: lock the row, check the table, save, write a BotEvent, publish.

    Raises IllegalTransition (409) when the event is not allowed from the bot's current status;
    nothing is written then. Returns the bot as saved (the caller's instance is refreshed too).
    """
    transition = TRANSITIONS.get(event)
    if transition is None:
        raise ValidationError(f"Unknown bot event '{event}'.", fields={"event": [f"unknown event '{event}'"]})
    if end_reason and end_reason not in EndReason.values:
        raise ValidationError(f"Unknown end_reason '{end_reason}'.", fields={"end_reason": ["unknown"]})
    with transaction.atomic():
        locked = Bot.objects.select_for_update().select_related("meeting").get(pk=bot.pk)
        old = locked.status
        if old not in transition.sources:
            raise IllegalTransition(
                f"Bot {locked.id} is '{old}'; '{event}' is allowed only from {sorted(transition.sources)}.",
                bot_id=locked.id,
                status=old,
            )
        if transition.needs_end_reason and not (end_reason or locked.end_reason):
            raise ValidationError(f"'{event}' needs an end_reason.", fields={"end_reason": ["required"]})
        now = timezone.now()
        locked.status = transition.target
        fields = ["status", "updated_at"]
        if end_reason and (not locked.end_reason or transition.target == S.FAILED):
            locked.end_reason = end_reason
            locked.end_fault = ending_fault(end_reason)
            fields += ["end_reason", "end_fault"]
        if not message and transition.target in TERMINAL and not locked.end_message:
            # Every ended or failed bot says why in a sentence, whoever ended it.
            message = ending_message(locked.end_reason, platform=locked.platform)
        if message:
            locked.end_message = message[:500]
            fields.append("end_message")
        if recording_state:
            locked.recording_state = recording_state
            fields.append("recording_state")
        if event == "admitted":
            locked.joined_at = now
            fields.append("joined_at")
        if transition.target in TERMINAL:
            locked.ended_at = now
            fields.append("ended_at")
        locked.save(update_fields=fields)
        BotEvent.objects.create(
            bot=locked,
            event=event,
            old_status=old,
            new_status=locked.status,
            end_reason=locked.end_reason if transition.target in (S.LEAVING, *TERMINAL) else "",
            data=data,
        )
        payload: dict[str, Any] = {
            "bot_id": locked.id,
            "old_status": old,
            "new_status": locked.status,
            "status": locked.status,
            "end_reason": locked.end_reason or None,
            "end_fault": locked.end_fault or None,
            "recording_state": locked.recording_state,
            "message": message or None,
        }
        if data:
            payload["data"] = data
        publish(locked.meeting, EventType.BOT_STATUS_CHANGED, payload, bot_id=locked.id)
    bot.refresh_from_db()
    return locked
