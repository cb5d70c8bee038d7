"""Push notifications from the providers, turned into one debounced sync per calendar.

Google: a bodiless POST whose X-Goog-Channel-ID and X-Goog-Channel-Token must be a channel we opened.
Microsoft Graph: the subscription's validation handshake (`?validationToken=` answered as plain text
within 10 s), change notifications (`{"value": [{subscriptionId, clientState, ...}]}`) and lifecycle
notifications (`reauthorizationRequired`, `subscriptionRemoved`, `missed`), each checked against the
subscription's clientState. Pushes for one calendar within NOTULA_CALENDAR_PUSH_DEBOUNCE_S lead to one sync.
"""

import hmac

from django.conf import settings
from django.core.cache import cache

from calendars.models import Calendar


def _debounced_sync(calendar: Calendar) -> bool:
    """Queue a sync unless one is already queued for the debounce period."""
    from calendars.tasks import sync_calendar

    delay = settings.CALENDAR_PUSH_DEBOUNCE_S
    if not cache.add(f"calendar-push:{calendar.id}", 1, timeout=max(1, int(delay))):
        return False
    sync_calendar.apply_async((calendar.id,), countdown=delay)
    return True


def push_google(*, channel_id: str, channel_token: str, resource_state: str) -> bool:
    """A Google notification: True when it was ours (a sync is then queued unless it is the `sync` hello)."""
    calendar = Calendar.objects.filter(provider=Calendar.Provider.GOOGLE, push_channel_id=channel_id).first()
    if calendar is None or not channel_id or not hmac.compare_digest(calendar.push_token, channel_token):
        return False
    if resource_state != "sync":
        _debounced_sync(calendar)
    return True


def push_microsoft(notifications: list) -> int:
    """Graph change and lifecycle notifications: answers how many were ours."""
    from calendars.tasks import renew_calendar_push

    ours = 0
    for note in notifications:
        if not isinstance(note, dict):
            continue
        calendar = Calendar.objects.filter(
            provider=Calendar.Provider.MICROSOFT, push_channel_id=str(note.get("subscriptionId", ""))
        ).first()
        if calendar is None or not hmac.compare_digest(calendar.push_token, str(note.get("clientState", ""))):
            continue
        ours += 1
        lifecycle = note.get("lifecycleEvent")
        if lifecycle in ("reauthorizationRequired", "subscriptionRemoved"):
            renew_calendar_push.delay(calendar.id)
        _debounced_sync(calendar)
    return ours
