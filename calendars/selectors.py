"""Reads of calendars and their events, always within one organization (someone else's is a 404)."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Organization
from calendars.models import Calendar, CalendarEvent
from common.errors import NotFound


def calendar_list(*, organization: Organization) -> QuerySet[Calendar]:
    return Calendar.objects.filter(organization=organization).order_by("-created_at")


def calendar_get(*, organization: Organization, calendar_id: str) -> Calendar:
    calendar = Calendar.objects.filter(organization=organization, pk=calendar_id).first()
    if calendar is None:
        raise NotFound(f"No calendar '{calendar_id}' in your organization.")
    return calendar


def calendar_event_list(
    *,
    organization: Organization,
    calendar_id: str | None = None,
    start_after: datetime | None = None,
    start_before: datetime | None = None,
    include_deleted: bool = False,
) -> QuerySet[CalendarEvent]:
    events = CalendarEvent.objects.filter(calendar__organization=organization).select_related("bot", "calendar")
    if calendar_id:
        events = events.filter(calendar_id=calendar_id)
    events = events.filter(end__gt=start_after or timezone.now())
    if start_before:
        events = events.filter(start__lt=start_before)
    if not include_deleted:
        events = events.filter(is_deleted=False)
    return events.order_by("start", "id")


def calendar_event_get(*, organization: Organization, event_id: str) -> CalendarEvent:
    event = (
        CalendarEvent.objects.filter(calendar__organization=organization, pk=event_id)
        .select_related("bot", "calendar")
        .first()
    )
    if event is None:
        raise NotFound(f"No calendar event '{event_id}' in your organization.")
    return event
