"""Retention: how long a meeting's data is kept after it ended, and the sweep that deletes what has
outlived it. A bot's own `retention` wins; else its organization's policy; else forever. An imported
file's meeting follows its organization's policy, counted from the import."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Organization
from bots.models import Bot, BotStatus
from deletion.models import DataDeletion, Retention, RetentionPolicy
from deletion.services import data_delete
from meetings.models import Meeting

FOREVER: dict = {"type": Retention.FOREVER}
# Meetings deleted per sweep at most: a beat task stays short; the rest go in the next sweeps.
SWEEP_BATCH = 200
_ENDED = (BotStatus.ENDED, BotStatus.FAILED)


def retention_policy_get(*, organization: Organization) -> dict:
    policy = RetentionPolicy.objects.filter(organization=organization).first()
    return _as_dict(policy)


def retention_policy_set(*, organization: Organization, type: str, hours: int | None = None) -> dict:
    policy, _ = RetentionPolicy.objects.update_or_create(
        organization=organization, defaults={"type": type, "hours": hours if type == Retention.TIMED else None}
    )
    return _as_dict(policy)


def _as_dict(policy: RetentionPolicy | None) -> dict:
    if policy is None or policy.type == Retention.FOREVER:
        return dict(FOREVER)
    return {"type": Retention.TIMED, "hours": policy.hours}


def retention_deadline(ended_at: datetime | None, retention: dict) -> datetime | None:
    """When data that ended at `ended_at` expires under `retention`; None: kept (forever, or not ended)."""
    if ended_at is None or retention.get("type") != Retention.TIMED:
        return None
    return ended_at + timedelta(hours=retention["hours"])


def retention_sweep(*, now: datetime | None = None) -> list[DataDeletion]:
    """Delete the data of every meeting past its retention (at most SWEEP_BATCH of them)."""
    now = now or timezone.now()
    policies = {p.organization_id: _as_dict(p) for p in RetentionPolicy.objects.filter(type=Retention.TIMED)}
    done = DataDeletion.objects.exclude(outcome=DataDeletion.Outcome.PARTIALLY_DELETED).values("meeting_id")
    deletions = []
    for meeting, object_type, object_id in _expired(now, policies, done):
        deletions.append(
            data_delete(
                meeting=meeting,
                object_type=object_type,
                object_id=object_id,
                reason=DataDeletion.Reason.RETENTION,
                requested_by="retention",
            )
        )
        if len(deletions) >= SWEEP_BATCH:
            break
    return deletions


def _expired(now: datetime, policies: dict, done: QuerySet) -> Iterator[tuple[Meeting, str, str]]:
    """(meeting, object type, object id) of each meeting whose data has outlived its retention."""
    own_timed = Q(settings__retention__type=Retention.TIMED)
    org_timed = Q(organization_id__in=list(policies)) & Q(settings__retention__isnull=True)
    bots = (
        Bot.objects.filter(own_timed | org_timed, status__in=_ENDED, ended_at__lte=now)
        .exclude(meeting_id__in=done)
        .select_related("meeting")
        .order_by("ended_at")
    )
    for bot in bots.iterator():
        if _bot_meeting_expired(bot, now, policies):
            yield bot.meeting, "bot", bot.id
    imports = (
        Meeting.objects.filter(
            source=Meeting.Source.FILE,
            organization_id__in=list(policies),
            status__in=[Meeting.Status.COMPLETED, Meeting.Status.FAILED],
        )
        .exclude(id__in=done)
        .order_by("created_at")
    )
    for meeting in imports.iterator():
        deadline = retention_deadline(meeting.created_at, policies[meeting.organization_id])
        if deadline is not None and deadline <= now:
            yield meeting, "meeting", meeting.id


def _bot_meeting_expired(bot: Bot, now: datetime, policies: dict) -> bool:
    """A meeting expires once every one of its bots has ended and outlived its retention."""
    for each in Bot.objects.filter(meeting_id=bot.meeting_id):
        retention = each.settings.get("retention") or policies.get(each.organization_id, FOREVER)
        deadline = retention_deadline(each.ended_at if each.status in _ENDED else None, retention)
        if deadline is None or deadline > now:
            return False
    return True
