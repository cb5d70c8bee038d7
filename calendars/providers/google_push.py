"""Google's push notifications (developers.google.com/calendar/api/guides/push): a `web_hook` channel
opened with `events/watch` (our id, a secret token, the address), after which Google POSTs a bodiless
request with `X-Goog-Channel-ID`, `X-Goog-Channel-Token`, `X-Goog-Resource-ID` and
`X-Goog-Resource-State` (`sync` when the channel opens, `exists` on a change). Channels cannot be
renewed: a new one is opened before the old one expires, and the old one is stopped.
"""

import secrets
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from django.conf import settings

from calendars.credentials import credentials_read, credentials_write
from calendars.models import Calendar
from calendars.providers.google import LABEL, google_refresh
from calendars.providers.oauth import access_token_fresh, api_call, api_json


def _token(calendar: Calendar) -> str:
    creds = credentials_read(calendar)
    if not access_token_fresh(creds):
        creds = google_refresh(creds)
        credentials_write(calendar, creds)
    return creds["access_token"]


def google_watch(calendar: Calendar, address: str) -> None:
    """Open a channel for the calendar's events (set, not saved, on the calendar)."""
    token = _token(calendar)
    path = f"/calendars/{quote(calendar.provider_calendar_id or 'primary', safe='')}/events/watch"
    channel = {"id": str(uuid.uuid4()), "type": "web_hook", "address": address, "token": secrets.token_urlsafe(24)}
    body = api_json(
        api_call("POST", settings.GOOGLE_CALENDAR_API_URL + path, token=token, label=LABEL, json=channel), label=LABEL
    )
    google_stop(calendar)
    calendar.push_channel_id, calendar.push_token = channel["id"], channel["token"]
    calendar.push_resource_id = body.get("resourceId", "")
    calendar.push_expires_at = datetime.fromtimestamp(int(body.get("expiration", "0")) / 1000, tz=UTC)


def google_stop(calendar: Calendar) -> None:
    """Stop the calendar's open channel, if any (a failure leaves it to expire)."""
    if not calendar.push_channel_id:
        return
    stop = {"id": calendar.push_channel_id, "resourceId": calendar.push_resource_id}
    try:
        api_call(
            "POST", settings.GOOGLE_CALENDAR_API_URL + "/channels/stop", token=_token(calendar), label=LABEL, json=stop
        )
    except Exception:  # noqa: BLE001 - an unstoppable channel expires by itself
        pass
    calendar.push_channel_id = calendar.push_resource_id = calendar.push_token = ""
