"""Microsoft Graph subscriptions (placeholder)."""

from calendars.models import Calendar
from calendars.providers import ProviderError


def microsoft_subscribe(calendar: Calendar, address: str) -> None:
    raise ProviderError("not yet")


def microsoft_unsubscribe(calendar: Calendar) -> None:
    return None
