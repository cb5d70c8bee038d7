"""One deletion of a meeting's data (asked for a bot or a meeting): every registered kind in turn,
the audit stub, and `data.deleted` in the organization's log."""

import logging

from django.db import transaction

from bots.models import Bot, BotStatus
from common.errors import Conflict
from deletion.models import DataDeletion
from deletion.registry import DeletionTarget, data_kinds
from meetings.events import EventType, publish_organization_event
from meetings.models import Meeting

log = logging.getLogger(__name__)

# A bot in these states is still writing its meeting's data: it must end first.
BOT_BUSY = frozenset(
    {
        BotStatus.QUEUED,
        BotStatus.JOINING,
        BotStatus.WAITING_ROOM,
        BotStatus.IN_CALL,
        BotStatus.LEAVING,
        BotStatus.POST_PROCESSING,
    }
)
Outcome = DataDeletion.Outcome


def data_delete(
    *, meeting: Meeting, object_type: str, object_id: str, reason: str, requested_by: str, check_busy: bool = True
) -> DataDeletion:
    """Delete the media files and personal data of a meeting and its bots, kind by kind.

    A kind that fails does not stop the others; the answer is then `partially_deleted` and names it.
    Refused (409) while a bot of the meeting is still running or the meeting is being transcribed,
    since what they write next would escape the deletion."""
    bots = list(Bot.objects.filter(meeting=meeting))
    if check_busy:
        _require_idle(meeting, bots)
    target = DeletionTarget(meeting=meeting, bots=bots)
    removed: dict[str, int] = {}
    failed: dict[str, str] = {}
    for kind in data_kinds():
        try:
            with transaction.atomic():
                count = kind.delete(target)
        except Exception as exc:
            log.exception("Deleting %s of meeting %s failed", kind.name, meeting.id)
            failed[kind.name] = f"{type(exc).__name__}: {exc}"[:500]
            continue
        if count:
            removed[kind.name] = count
    outcome = _outcome(meeting, removed, failed)
    with transaction.atomic():
        deletion = DataDeletion.objects.create(
            organization_id=meeting.organization_id,
            object_type=object_type,
            object_id=object_id,
            meeting_id=meeting.id,
            bot_ids=[bot.id for bot in bots],
            reason=reason,
            requested_by=requested_by,
            outcome=outcome,
            removed=removed,
            failed=failed,
        )
        if removed or failed:
            publish_organization_event(
                meeting.organization_id,
                EventType.DATA_DELETED,
                {
                    "object": object_type,
                    "object_id": object_id,
                    "meeting_id": meeting.id,
                    "bot_ids": deletion.bot_ids,
                    "reason": reason,
                    "status": outcome,
                    "parts": sorted(removed),
                    "failed": sorted(failed),
                    "deletion_id": deletion.id,
                },
                bot_id=bots[0].id if len(bots) == 1 else "",
            )
    return deletion


def _require_idle(meeting: Meeting, bots: list[Bot]) -> None:
    busy = [bot for bot in bots if bot.status in BOT_BUSY]
    if busy:
        raise Conflict(
            f"Bot {busy[0].id} is '{busy[0].status}'; its data can be deleted once it has ended "
            "(POST /api/v1/bots/{id}/leave first).",
            code="bot_active",
            status=busy[0].status,
        )
    if meeting.status == Meeting.Status.PROCESSING:
        raise Conflict(
            f"Meeting {meeting.id} is being transcribed; delete its data once that has finished.",
            code="meeting_processing",
        )


def _outcome(meeting: Meeting, removed: dict, failed: dict) -> str:
    if failed:
        return Outcome.PARTIALLY_DELETED
    if removed:
        return Outcome.DELETED
    earlier = DataDeletion.objects.filter(
        meeting_id=meeting.id, outcome__in=[Outcome.DELETED, Outcome.PARTIALLY_DELETED]
    ).exists()
    return Outcome.ALREADY_DELETED if earlier else Outcome.NO_DATA
