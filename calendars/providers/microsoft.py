"""microsoft calendars."""

from calendars.providers import ProviderError


def microsoft_fetch(calendar, *, window, force):
    raise ProviderError("not yet")


def microsoft_identify(credentials, *, calendar_id=""):
    raise ProviderError("not yet")
