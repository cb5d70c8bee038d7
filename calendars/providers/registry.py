"""Which provider reads a calendar."""

from collections.abc import Callable
from datetime import datetime

from calendars.models import Calendar
from calendars.providers import ProviderError, ProviderUnavailable, SyncResult


def provider_fetch(calendar: Calendar, *, window: tuple[datetime, datetime], force: bool) -> SyncResult:
    from calendars.providers.google import google_fetch
    from calendars.providers.ics import ics_fetch
    from calendars.providers.microsoft import microsoft_fetch

    readers: dict[str, Callable[..., SyncResult]] = {
        Calendar.Provider.ICS: ics_fetch,
        Calendar.Provider.GOOGLE: google_fetch,
        Calendar.Provider.MICROSOFT: microsoft_fetch,
    }
    return readers[calendar.provider](calendar, window=window, force=force)


def provider_identify(provider: str, credentials: dict, *, calendar_id: str = ""):
    """Check a refresh token now; raises ValidationError naming refresh_token when refused."""
    from calendars.providers.google import google_identify
    from calendars.providers.microsoft import microsoft_identify

    identify = google_identify if provider == Calendar.Provider.GOOGLE else microsoft_identify
    try:
        return identify(credentials, calendar_id=calendar_id)
    except ProviderError as exc:
        raise ProviderUnavailable(str(exc)) from exc


def provider_calendars(provider: str, credentials: dict) -> list[dict]:
    """The calendars a refresh token can read, before any is connected: `[{id, email, is_primary}]`.
    Google lists the account's calendars; Notula reads Microsoft's default calendar only, so that one."""
    from calendars.providers.google import google_calendars

    if provider == Calendar.Provider.GOOGLE:
        try:
            return google_calendars(credentials)
        except ProviderError as exc:
            raise ProviderUnavailable(str(exc)) from exc
    identity = provider_identify(provider, credentials)
    return [{"id": identity.calendar_id, "email": identity.email, "is_primary": True}]
