"""Celery tasks: read one calendar (after a connect, a push or by hand), and the periodic resync."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from calendars.models import Calendar
from calendars.sync import calendar_sync


@shared_task(bind=True, max_retries=5)
def sync_calendar(self, calendar_id: str, force: bool = False) -> dict:
    outcome = calendar_sync(calendar_id, force=force)
    if outcome.retry_after_s is not None:
        # 429: the provider said when to ask again (Retry-After).
        raise self.retry(countdown=max(1.0, outcome.retry_after_s))
    return {"changed": len(outcome.changed_ids), "error": outcome.error}


@shared_task
def resync_due_calendars() -> int:
    """The safety net under push: read every calendar not read for NOTULA_CALENDAR_RESYNC_INTERVAL_S."""
    due = timezone.now() - timedelta(seconds=settings.CALENDAR_RESYNC_INTERVAL_S)
    calendars = Calendar.objects.exclude(state=Calendar.State.DISCONNECTED).filter(
        Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=due)
    )
    ids = list(calendars.values_list("id", flat=True)[:500])
    for calendar_id in ids:
        sync_calendar.delay(calendar_id)
    return len(ids)


@shared_task
def renew_calendar_push(calendar_id: str) -> str:
    from calendars.push_channels import push_renew

    return push_renew(calendar_id)


@shared_task
def renew_due_calendar_pushes() -> int:
    """Open the push of calendars that have none, and replace those about to expire."""
    from calendars.push_channels import push_due

    due = [c.id for c in Calendar.objects.exclude(provider=Calendar.Provider.ICS) if push_due(c)]
    for calendar_id in due:
        renew_calendar_push.delay(calendar_id)
    return len(due)
