"""ICS (iCalendar, RFC 5545) feeds: a secret URL read through the safe fetcher (common/net), with size
and time caps and a conditional GET (If-None-Match / If-Modified-Since from the last answer's ETag and
Last-Modified; a 304 means nothing changed). Series are expanded in the window by recurring-ical-events,
which follows RRULE/RDATE/EXDATE in the event's own time zone (so a weekly 10:00 stays 10:00 across a
daylight-saving change) and applies moved occurrences (RECURRENCE-ID overrides).

Each occurrence's id is the UID and its RECURRENCE-ID in UTC, so a moved occurrence stays the same
event. An answer of 401, 403, 404 or 410 means the secret URL was withdrawn: the calendar is
disconnected.
"""

from datetime import UTC, date, datetime, time

import icalendar
import recurring_ical_events
from django.conf import settings

from calendars.credentials import credentials_read
from calendars.meeting_links import meeting_link_find
from calendars.models import Calendar
from calendars.providers import GrantRevoked, ProviderError, ProviderEvent, SyncResult
from common import net

WITHDRAWN = (401, 403, 404, 410)


def _utc(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return datetime.combine(value, time(0), tzinfo=UTC)


def _tz_name(value) -> str:
    tzinfo = getattr(value, "tzinfo", None)
    return str(getattr(tzinfo, "key", None) or tzinfo or "")


def _address(value) -> str:
    return str(value or "").removeprefix("mailto:").removeprefix("MAILTO:").strip().lower()


def _attendees(component) -> list[dict]:
    raw = component.get("ATTENDEE") or []
    if not isinstance(raw, list):
        raw = [raw]
    return [
        {
            "email": _address(a),
            "name": str(a.params.get("CN", "")),
            "response": str(a.params.get("PARTSTAT", "NEEDS-ACTION")).lower().replace("-", "_"),
        }
        for a in raw
    ]


def ics_event(component, *, own_email: str, series: bool) -> ProviderEvent:
    """One expanded occurrence (an icalendar VEVENT) as a ProviderEvent; `series`: its UID is a series."""
    start = component["DTSTART"].dt
    end = component["DTEND"].dt if component.get("DTEND") else start
    uid = str(component.get("UID", ""))
    recurrence = component.get("RECURRENCE-ID") if series else None
    original = _utc(recurrence.dt) if recurrence is not None else None
    attendees = _attendees(component)
    organizer = _address(component.get("ORGANIZER"))
    own = own_email.lower()
    response = next((a["response"] for a in attendees if own and a["email"] == own), "")
    if own and organizer == own:
        response = "accepted"
    conference = [str(component.get("X-GOOGLE-CONFERENCE") or ""), str(component.get("URL") or "")]
    return ProviderEvent(
        provider_event_id=f"{uid}/{original.isoformat()}" if original else uid,
        series_id=uid if original else "",
        original_start=original,
        start=_utc(start),
        end=_utc(end),
        time_zone=_tz_name(start),
        title=str(component.get("SUMMARY") or "")[:1000],
        organizer_email=organizer,
        attendees=attendees,
        self_response=response,
        meeting_url=meeting_link_find(
            [*conference, str(component.get("LOCATION") or ""), str(component.get("DESCRIPTION") or "")]
        ),
        cancelled=str(component.get("STATUS") or "").upper() == "CANCELLED",
    )


def ics_parse(raw: bytes, *, window: tuple[datetime, datetime], own_email: str = "") -> list[ProviderEvent]:
    try:
        calendar = icalendar.Calendar.from_ical(raw)
        occurrences = recurring_ical_events.of(calendar).between(*window)
    except Exception as exc:  # icalendar raises ValueError and others on malformed feeds
        raise ProviderError(f"The ICS feed could not be read as iCalendar: {str(exc)[:200]}") from exc
    # The expansion marks every occurrence with a RECURRENCE-ID; only a series' occurrences need one.
    series = {
        str(c.get("UID", ""))
        for c in calendar.walk("VEVENT")
        if c.get("RRULE") or c.get("RDATE") or c.get("RECURRENCE-ID")
    }
    return [
        ics_event(c, own_email=own_email, series=str(c.get("UID", "")) in series)
        for c in occurrences
        if c.name == "VEVENT"
    ]


def ics_fetch(calendar: Calendar, *, window: tuple[datetime, datetime], force: bool = False) -> SyncResult:
    """Read the feed. `force` asks again without the conditional headers (a resync)."""
    url = credentials_read(calendar)["ics_url"]
    headers = {"Accept": "text/calendar"}
    if not force and calendar.etag:
        headers["If-None-Match"] = calendar.etag
    if not force and calendar.last_modified:
        headers["If-Modified-Since"] = calendar.last_modified
    try:
        with net.open_url(
            url,
            subject="The ICS URL",
            max_bytes=settings.CALENDAR_ICS_MAX_BYTES,
            timeout_s=settings.CALENDAR_ICS_TIMEOUT_S,
            headers=headers,
        ) as response:
            raw = response.read()
            calendar.etag = response.headers.get("ETag", "")[:500]
            calendar.last_modified = response.headers.get("Last-Modified", "")[:100]
    except net.HttpStatus as exc:
        if exc.status == 304:
            return SyncResult(unchanged=True)
        if exc.status in WITHDRAWN:
            raise GrantRevoked(
                f"The ICS URL answers HTTP {exc.status}: it was withdrawn or is no longer secret."
            ) from exc
        raise ProviderError(str(exc)) from exc
    except net.FetchError as exc:
        raise ProviderError(str(exc)) from exc
    return SyncResult(events=ics_parse(raw, window=window, own_email=calendar.email), complete=True)
