"""Microsoft Graph calendars (learn.microsoft.com/graph): Microsoft identity platform v2 OAuth (refresh
tokens rotate: each answer's new one is kept), `GET /me` to say whose calendar it is, and
`/me/calendarView/delta` for the window: Graph expands series into occurrences and exceptions (each with
`seriesMasterId`), pages by `@odata.nextLink` and ends a round with an `@odata.deltaLink`, which the next
read follows to get only what changed (`@removed` for deleted ones). `410 Gone` means the delta state
expired: read the window whole again. Base URLs: NOTULA_MICROSOFT_LOGIN_URL, NOTULA_MICROSOFT_GRAPH_URL.
"""

from datetime import UTC, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from calendars.credentials import credentials_read, credentials_write
from calendars.meeting_links import meeting_link_find
from calendars.models import Calendar
from calendars.providers import GrantRevoked, Identity, ProviderError, ProviderEvent, SyncResult
from calendars.providers.oauth import access_token_fresh, api_call, api_json, oauth_grant, tokens_keep

LABEL = "Microsoft Graph"
SCOPES = "offline_access Calendars.Read User.Read"
PAGE_SIZE = 100
RESPONSES = {
    "organizer": "accepted",
    "accepted": "accepted",
    "tentativelyAccepted": "tentative",
    "declined": "declined",
    "notResponded": "needs_action",
    "none": "needs_action",
}


def microsoft_refresh(credentials: dict) -> dict:
    form = {
        "grant_type": "refresh_token",
        "refresh_token": credentials["refresh_token"],
        "client_id": credentials["client_id"],
        "client_secret": credentials["client_secret"],
        "scope": SCOPES,
    }
    token_url = f"{settings.MICROSOFT_LOGIN_URL}/oauth2/v2.0/token"
    return tokens_keep(credentials, oauth_grant(token_url, form, label="Microsoft"))


def graph_request(creds: dict, method: str, url: str, **kwargs):
    """A Graph request with the access token, refreshed when stale and once more on a 401."""
    for attempt in (1, 2):
        if attempt == 2 or not access_token_fresh(creds):
            creds.update(microsoft_refresh(creds))
        response = api_call(method, url, token=creds["access_token"], label=LABEL, **kwargs)
        if response.status_code != 401:
            return response
    return response


def microsoft_identify(credentials: dict, *, calendar_id: str = "") -> Identity:
    from common.errors import ValidationError

    creds = dict(credentials)
    try:
        me = api_json(graph_request(creds, "GET", f"{settings.MICROSOFT_GRAPH_URL}/me"), label=LABEL)
    except GrantRevoked as exc:
        raise ValidationError(str(exc), fields={"refresh_token": [str(exc)]}) from exc
    email = str(me.get("mail") or me.get("userPrincipalName") or "").lower()
    return Identity(credentials=creds, email=email, name=str(me.get("displayName") or email), calendar_id=calendar_id)


def _when(value: dict | None) -> datetime | None:
    if not value or not value.get("dateTime"):
        return None
    moment = datetime.fromisoformat(value["dateTime"][:26])
    try:
        zone = ZoneInfo(value.get("timeZone") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # a Windows zone name: Graph answers UTC unless asked otherwise
    return moment.replace(tzinfo=zone).astimezone(UTC)


def graph_event(item: dict) -> ProviderEvent | None:
    start, end = _when(item.get("start")), _when(item.get("end"))
    if start is None or item.get("type") == "seriesMaster":
        return None
    attendees = [
        {
            "email": str((a.get("emailAddress") or {}).get("address", "")).lower(),
            "name": (a.get("emailAddress") or {}).get("name", ""),
            "response": RESPONSES.get((a.get("status") or {}).get("response", ""), ""),
        }
        for a in item.get("attendees") or []
    ]
    online = (item.get("onlineMeeting") or {}).get("joinUrl")
    return ProviderEvent(
        provider_event_id=item["id"],
        series_id=item.get("seriesMasterId") or "",
        original_start=_when({"dateTime": item["originalStart"][:19], "timeZone": "UTC"})
        if item.get("originalStart")
        else None,
        start=start,
        end=end or start,
        time_zone=item.get("originalStartTimeZone") or (item.get("start") or {}).get("timeZone", ""),
        title=str(item.get("subject") or "")[:1000],
        organizer_email=str(((item.get("organizer") or {}).get("emailAddress") or {}).get("address", "")).lower(),
        attendees=attendees,
        self_response=RESPONSES.get((item.get("responseStatus") or {}).get("response", ""), ""),
        meeting_url=meeting_link_find(
            [
                online,
                item.get("onlineMeetingUrl"),
                (item.get("location") or {}).get("displayName"),
                (item.get("body") or {}).get("content"),
            ]
        ),
        cancelled=bool(item.get("isCancelled")),
    )


def microsoft_fetch(calendar: Calendar, *, window: tuple[datetime, datetime], force: bool) -> SyncResult:
    creds = credentials_read(calendar)
    try:
        return _read(calendar, creds, window, incremental=bool(calendar.sync_token) and not force)
    finally:
        credentials_write(calendar, creds)  # a rotated refresh token must be kept whatever happened


def _read(calendar: Calendar, creds: dict, window: tuple[datetime, datetime], *, incremental: bool) -> SyncResult:
    if incremental:
        url = calendar.sync_token
    else:
        span = {"startDateTime": window[0].isoformat(), "endDateTime": window[1].isoformat()}
        url = f"{settings.MICROSOFT_GRAPH_URL}/me/calendarView/delta?{urlencode(span)}"
    result = SyncResult(complete=not incremental)
    headers = {"Prefer": f'odata.maxpagesize={PAGE_SIZE}, outlook.timezone="UTC"'}
    while True:
        response = graph_request(creds, "GET", url, headers=headers)
        if response.status_code == 410:
            if not incremental:
                raise ProviderError("Microsoft Graph answered 410 to a full read.")
            calendar.sync_token = ""  # the delta state expired
            return _read(calendar, creds, window, incremental=False)
        body = api_json(response, label=LABEL)
        for item in body.get("value") or []:
            if "@removed" in item:
                result.deleted_ids.append(item["id"])
                continue
            event = graph_event(item)
            if event is not None and window[0] <= event.start < window[1]:
                result.events.append(event)
        if body.get("@odata.nextLink"):
            url = body["@odata.nextLink"]
            continue
        calendar.sync_token = body.get("@odata.deltaLink", "")
        return result
