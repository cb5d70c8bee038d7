"""Google Calendar API v3 (developers.google.com/calendar/api): OAuth 2 with offline refresh tokens,
`users/me/calendarList` to say whose calendar it is, and `calendars/{id}/events` with
`singleEvents=true` (Google expands series into instances, each with `recurringEventId` and
`originalStartTime`, in the series' own time zone) paged by `pageToken`. A whole read of the window
ends with a `nextSyncToken`; the next read sends only it and gets what changed, cancelled instances and
series included (`status: cancelled`). `410 Gone` (fullSyncRequired) means the token expired: read the
window whole again. Base URLs: NOTULA_GOOGLE_TOKEN_URL, NOTULA_GOOGLE_CALENDAR_API_URL.
"""

from datetime import datetime
from urllib.parse import quote

from django.conf import settings

from calendars.credentials import credentials_read, credentials_write
from calendars.meeting_links import meeting_link_find
from calendars.models import Calendar
from calendars.providers import GrantRevoked, Identity, ProviderError, ProviderEvent, SyncResult
from calendars.providers.oauth import access_token_fresh, api_call, api_json, oauth_grant, tokens_keep

LABEL = "Google Calendar"
PAGE_SIZE = 250


def google_refresh(credentials: dict) -> dict:
    form = {
        "grant_type": "refresh_token",
        "refresh_token": credentials["refresh_token"],
        "client_id": credentials["client_id"],
        "client_secret": credentials["client_secret"],
    }
    return tokens_keep(credentials, oauth_grant(settings.GOOGLE_TOKEN_URL, form, label="Google"))


def _get(calendar_creds: dict, path: str, params: dict) -> tuple[int, dict, dict]:
    """GET with the access token, refreshed first when stale and once more on a 401."""
    for attempt in (1, 2):
        if attempt == 2 or not access_token_fresh(calendar_creds):
            calendar_creds.update(google_refresh(calendar_creds))
        response = api_call(
            "GET",
            settings.GOOGLE_CALENDAR_API_URL + path,
            token=calendar_creds["access_token"],
            label=LABEL,
            params=params,
        )
        if response.status_code != 401:
            break
    if response.status_code == 410:
        return 410, {}, {}
    return response.status_code, api_json(response, label=LABEL), dict(response.headers)


def google_identify(credentials: dict, *, calendar_id: str = "") -> Identity:
    from common.errors import ValidationError

    try:
        creds = dict(credentials)
        _, body, _ = _get(creds, "/users/me/calendarList", {"maxResults": 250})
    except GrantRevoked as exc:
        raise ValidationError(str(exc), fields={"refresh_token": [str(exc)]}) from exc
    items = body.get("items") or []
    wanted = next((c for c in items if (c.get("id") == calendar_id if calendar_id else c.get("primary"))), None)
    if wanted is None:
        message = f"no calendar '{calendar_id}' in this Google account" if calendar_id else "no primary calendar"
        raise ValidationError(f"raw_calendar_id: {message}.", fields={"raw_calendar_id": [message]})
    primary = next((c for c in items if c.get("primary")), wanted)
    return Identity(credentials=creds, email=primary["id"], name=wanted.get("summary", ""), calendar_id=wanted["id"])


def google_calendars(credentials: dict) -> list[dict]:
    """The account's calendars as `[{id, email, is_primary}]` (a Google calendar's id is its address)."""
    from common.errors import ValidationError

    try:
        _, body, _ = _get(dict(credentials), "/users/me/calendarList", {"maxResults": 250})
    except GrantRevoked as exc:
        raise ValidationError(str(exc), fields={"refresh_token": [str(exc)]}) from exc
    return [
        {"id": item["id"], "email": item["id"], "is_primary": bool(item.get("primary"))}
        for item in body.get("items") or []
    ]


def _when(value: dict | None) -> tuple[datetime | None, str]:
    if not value:
        return None, ""
    if "dateTime" in value:
        return datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00")), value.get("timeZone", "")
    from datetime import UTC, date, time

    return datetime.combine(date.fromisoformat(value["date"]), time(0), tzinfo=UTC), value.get("timeZone", "")


def google_event(item: dict) -> ProviderEvent | None:
    start, zone = _when(item.get("start"))
    end, _ = _when(item.get("end"))
    original, _ = _when(item.get("originalStartTime"))
    if item.get("status") == "cancelled" or start is None:
        return None
    attendees = [
        {"email": a.get("email", ""), "name": a.get("displayName", ""), "response": _response(a.get("responseStatus"))}
        for a in item.get("attendees") or []
    ]
    organizer = item.get("organizer") or {}
    me = next((a for a in item.get("attendees") or [] if a.get("self")), None)
    response = "accepted" if organizer.get("self") and me is None else _response((me or {}).get("responseStatus"))
    video = [
        e.get("uri", "")
        for e in (item.get("conferenceData") or {}).get("entryPoints", [])
        if e.get("entryPointType") == "video"
    ]
    return ProviderEvent(
        provider_event_id=item["id"],
        series_id=item.get("recurringEventId", ""),
        original_start=original,
        start=start,
        end=end or start,
        time_zone=zone,
        title=str(item.get("summary") or "")[:1000],
        organizer_email=str(organizer.get("email") or "").lower(),
        attendees=attendees,
        self_response=response,
        meeting_url=meeting_link_find([*video, item.get("hangoutLink"), item.get("location"), item.get("description")]),
    )


def _response(value: str | None) -> str:
    return {"needsAction": "needs_action"}.get(value or "", value or "")


def google_fetch(calendar: Calendar, *, window: tuple[datetime, datetime], force: bool) -> SyncResult:
    creds = credentials_read(calendar)
    try:
        return _read(calendar, creds, window, incremental=bool(calendar.sync_token) and not force)
    finally:
        credentials_write(calendar, creds)  # a refreshed access token is kept whatever happened


def _read(calendar: Calendar, creds: dict, window: tuple[datetime, datetime], *, incremental: bool) -> SyncResult:
    path = f"/calendars/{quote(calendar.provider_calendar_id or 'primary', safe='')}/events"
    base = {"singleEvents": "true", "maxResults": PAGE_SIZE}
    if incremental:
        base["syncToken"] = calendar.sync_token
    else:
        base |= {"timeMin": window[0].isoformat(), "timeMax": window[1].isoformat()}
    result = SyncResult(complete=not incremental)
    page_token = ""
    while True:
        status, body, _ = _get(creds, path, {**base, **({"pageToken": page_token} if page_token else {})})
        if status == 410:
            if not incremental:
                raise ProviderError("Google Calendar answered 410 to a full read.")
            calendar.sync_token = ""  # fullSyncRequired: the token expired
            return _read(calendar, creds, window, incremental=False)
        for item in body.get("items") or []:
            event = google_event(item)
            if event is None:
                result.deleted_ids.append(item["id"])
            elif window[0] <= event.start < window[1]:
                result.events.append(event)
        page_token = body.get("nextPageToken", "")
        if not page_token:
            calendar.sync_token = body.get("nextSyncToken", "")
            return result
