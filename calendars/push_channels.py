"""Opening and renewing the providers' push: Google watch channels, Graph subscriptions. Where the
providers push is NOTULA_PUBLIC_URL + /calendars/push/<provider>. A calendar whose push cannot be
opened (the address is not reachable from the provider) is still read by the periodic resync."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from calendars.models import Calendar
from calendars.providers import ProviderError

# A channel or subscription this close to its end is replaced (Graph's calendar subscriptions last
# under three days, Google's channels about a week).
RENEW_BEFORE = timedelta(hours=12)


def push_address(provider: str) -> str:
    return f"{settings.PUBLIC_URL}/calendars/push/{provider}"


def push_due(calendar: Calendar) -> bool:
    if calendar.provider == Calendar.Provider.ICS or calendar.state == Calendar.State.DISCONNECTED:
        return False
    return calendar.push_expires_at is None or calendar.push_expires_at - timezone.now() < RENEW_BEFORE


def push_renew(calendar_id: str) -> str:
    """Open or renew the calendar's push; answers "" or why it could not."""
    from calendars.providers.google_push import google_watch
    from calendars.providers.microsoft_push import microsoft_subscribe

    with transaction.atomic():
        calendar = Calendar.objects.select_for_update().filter(pk=calendar_id).first()
        if calendar is None or calendar.provider == Calendar.Provider.ICS:
            return "no push for this calendar"
        try:
            if calendar.provider == Calendar.Provider.GOOGLE:
                google_watch(calendar, push_address("google"))
            else:
                microsoft_subscribe(calendar, push_address("microsoft"))
        except ProviderError as exc:
            calendar.save()  # a refreshed (Microsoft: rotated) token is kept
            return str(exc)
        calendar.save()
    return ""


def push_close(calendar: Calendar) -> None:
    from calendars.providers.google_push import google_stop
    from calendars.providers.microsoft_push import microsoft_unsubscribe

    try:
        google_stop(calendar) if calendar.provider == Calendar.Provider.GOOGLE else microsoft_unsubscribe(calendar)
    except ProviderError:
        pass
