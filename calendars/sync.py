"""A calendar's sync: read the window from the provider, keep its events, bring their bots in line, and
say what changed (`calendar.sync_events`; `calendar.updated` / `calendar.disconnected` on a change of
state). Calendars of one organization are synced one at a time per calendar (the row is locked).
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from calendars.models import Calendar, CalendarEvent
from calendars.notices import notice_disconnected, notice_sync_events, notice_updated
from calendars.providers import GrantRevoked, ProviderError, ProviderEvent, RateLimited, SyncResult
from calendars.providers.registry import provider_fetch
from calendars.scheduling import event_bot_sync

logger = logging.getLogger(__name__)

KEPT_FIELDS = (
    "series_id",
    "original_start",
    "start",
    "end",
    "time_zone",
    "title",
    "organizer_email",
    "attendees",
    "self_response",
    "meeting_url",
)


@dataclass
class SyncOutcome:
    changed_ids: list[str] = field(default_factory=list)
    bots: Counter = field(default_factory=Counter)
    error: str = ""
    retry_after_s: float | None = None


def sync_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return (
        now - timedelta(days=settings.CALENDAR_SYNC_DAYS_BACK),
        now + timedelta(days=settings.CALENDAR_SYNC_DAYS_AHEAD),
    )


def _keep(calendar: Calendar, seen: ProviderEvent) -> CalendarEvent | None:
    """Store one event; answers it when it is new or changed."""
    event = CalendarEvent.objects.filter(calendar=calendar, provider_event_id=seen.provider_event_id).first()
    if event is None:
        if seen.cancelled:
            return None
        event = CalendarEvent(calendar=calendar, provider_event_id=seen.provider_event_id)
    values = {name: getattr(seen, name) for name in KEPT_FIELDS}
    values["is_deleted"] = seen.cancelled
    if event.pk and not event._state.adding and all(getattr(event, k) == v for k, v in values.items()):
        return None
    for name, value in values.items():
        setattr(event, name, value)
    event.save()
    return event


def _gone(
    calendar: Calendar, result: SyncResult, window: tuple[datetime, datetime], seen: set[str]
) -> list[CalendarEvent]:
    """Events deleted by the provider, or (after a whole read) in the window and not read."""
    if result.unchanged:
        return []
    query = CalendarEvent.objects.filter(calendar=calendar, is_deleted=False)
    # A deleted id may be a series' own: its occurrences go with it.
    gone = list(query.filter(Q(provider_event_id__in=result.deleted_ids) | Q(series_id__in=result.deleted_ids)))
    if result.complete:
        in_window = query.filter(start__gte=window[0], start__lt=window[1]).exclude(provider_event_id__in=seen)
        gone += list(in_window)
    for event in gone:
        event.is_deleted = True
        event.save(update_fields=["is_deleted", "updated_at"])
    return gone


def _fail(calendar: Calendar, exc: ProviderError) -> None:
    was = calendar.state
    revoked = isinstance(exc, GrantRevoked)
    calendar.state = Calendar.State.DISCONNECTED if revoked else Calendar.State.ERROR
    calendar.state_reason = str(exc)[:500]
    calendar.save()
    if revoked:
        notice_disconnected(calendar)
        for event in calendar.events.filter(bot__status="scheduled", start__gt=timezone.now()):
            event_bot_sync(event)
    elif was != calendar.state:
        notice_updated(calendar, ["state"])


def calendar_sync(calendar_id: str, *, force: bool = False) -> SyncOutcome:
    """Read a calendar now. `force`: a whole read (no sync token, no conditional GET)."""
    outcome = SyncOutcome()
    with transaction.atomic():
        calendar = Calendar.objects.select_for_update().filter(pk=calendar_id).first()
        if calendar is None or calendar.state == Calendar.State.DISCONNECTED:
            return outcome
        window = sync_window()
        try:
            result = provider_fetch(calendar, window=window, force=force)
        except RateLimited as exc:
            # Not a failure of the calendar: the task asks again after the provider's Retry-After.
            calendar.save()  # a refreshed access token is kept
            outcome.error, outcome.retry_after_s = str(exc), exc.retry_after_s
            return outcome
        except ProviderError as exc:
            _fail(calendar, exc)
            outcome.error = str(exc)
            return outcome
        except Exception as exc:
            # An answer this code could not read: the calendar says so, and what the read changed on it
            # (a rotated refresh token above all) is still saved, or the next read could not even start.
            logger.exception("Calendar %s: the provider's answer could not be read", calendar.id)
            outcome.error = f"The provider's answer could not be read ({type(exc).__name__}); reading again later."
            _fail(calendar, ProviderError(outcome.error))
            return outcome
        seen = {e.provider_event_id for e in result.events}
        changed = [e for e in (_keep(calendar, s) for s in result.events) if e is not None]
        changed += _gone(calendar, result, window, seen)
        # Every upcoming event is looked at, not only the changed ones: rules, by-hand choices and the
        # lead may have changed since, and a bot deleted elsewhere is scheduled again.
        upcoming = (
            calendar.events.filter(end__gt=timezone.now()).exclude(pk__in=[e.pk for e in changed]).select_related("bot")
        )
        for event in [*changed, *upcoming]:
            done = event_bot_sync(event)
            if done:
                outcome.bots[done] += 1
                if event not in changed:
                    changed.append(event)
        outcome.changed_ids = [e.id for e in changed]
        was = calendar.state
        calendar.state, calendar.state_reason = Calendar.State.CONNECTED, ""
        calendar.last_synced_at = timezone.now()
        calendar.save()
        if was != calendar.state:
            notice_updated(calendar, ["state"])
        if changed:
            notice_sync_events(calendar, outcome.changed_ids, outcome.bots)
    return outcome
