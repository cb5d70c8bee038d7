"""google calendars."""

from calendars.providers import ProviderError


def google_fetch(calendar, *, window, force):
    raise ProviderError("not yet")


def google_identify(credentials, *, calendar_id=""):
    raise ProviderError("not yet")
