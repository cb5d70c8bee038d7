"""The providers: each reads a calendar's meetings in the sync window and says what changed.

`ProviderEvent` is one meeting as a provider gives it; `SyncResult` is a read: the events seen, the
ids seen deleted, and whether the read was whole (then every stored event in the window that it did not
name is gone). Failures: `GrantRevoked` (the calendar is disconnected until connected again),
`RateLimited` (try again after `retry_after_s`), `ProviderError` (this sync failed; the next one tries).
"""

from dataclasses import dataclass, field
from datetime import datetime

from common.errors import NotulaError


class ProviderError(Exception):
    """A sync that failed: the message is a sentence for users."""


class ProviderUnavailable(NotulaError):
    """At connect time, the provider could not be asked or answered wrongly (502)."""

    status_code = 502
    code = "calendar_provider_unavailable"


class GrantRevoked(ProviderError):
    """The provider no longer accepts the calendar's grant (or the ICS URL is gone)."""


class RateLimited(ProviderError):
    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


@dataclass
class ProviderEvent:
    provider_event_id: str
    start: datetime
    end: datetime
    time_zone: str = ""
    title: str = ""
    organizer_email: str = ""
    attendees: list[dict] = field(default_factory=list)
    self_response: str = ""
    meeting_url: str = ""
    series_id: str = ""
    original_start: datetime | None = None
    cancelled: bool = False


@dataclass
class SyncResult:
    events: list[ProviderEvent] = field(default_factory=list)
    deleted_ids: list[str] = field(default_factory=list)
    complete: bool = True  # a whole read of the window (not an increment)
    unchanged: bool = False  # the source said nothing changed (ICS 304)


@dataclass
class Identity:
    """Whose calendar a grant reads: checked at connect time."""

    credentials: dict  # what to keep (the refresh token, rotated, with the access token)
    email: str
    name: str
    calendar_id: str = ""
