"""The organization events a calendar publishes (meetings/events/catalogue.py)."""

from calendars.models import Calendar
from meetings.events import EventType, publish_organization_event


def _name(calendar: Calendar) -> str:
    return calendar.name or calendar.email or calendar.id


def notice_updated(calendar: Calendar, changed: list[str]) -> None:
    payload = {
        "calendar_id": calendar.id,
        "provider": calendar.provider,
        "name": _name(calendar),
        "state": calendar.state,
        "state_reason": calendar.state_reason,
        "changed": changed,
    }
    publish_organization_event(calendar.organization_id, EventType.CALENDAR_UPDATED, payload)


def notice_disconnected(calendar: Calendar) -> None:
    payload = {
        "calendar_id": calendar.id,
        "provider": calendar.provider,
        "name": _name(calendar),
        "reason": calendar.state_reason,
    }
    publish_organization_event(calendar.organization_id, EventType.CALENDAR_DISCONNECTED, payload)


def notice_sync_events(calendar: Calendar, event_ids: list[str], counts: dict[str, int]) -> None:
    payload = {
        "calendar_id": calendar.id,
        "provider": calendar.provider,
        "events": len(event_ids),
        "event_ids": event_ids,
        "bots_scheduled": counts.get("scheduled", 0),
        "bots_moved": counts.get("moved", 0),
        "bots_cancelled": counts.get("cancelled", 0),
    }
    publish_organization_event(calendar.organization_id, EventType.CALENDAR_SYNC_EVENTS, payload)
