"""Microsoft Graph change notifications (learn.microsoft.com/graph/change-notifications-overview): a
subscription to `me/events` with our notification and lifecycle URLs and a secret clientState. Graph
first POSTs `?validationToken=` to the URL (answered by calendars/views.py), then creates it. Event
subscriptions last under three days: they are renewed with a PATCH of expirationDateTime, or made anew
when the renewal is refused (404: Graph removed it)."""

import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings

from calendars.credentials import credentials_read, credentials_write
from calendars.models import Calendar
from calendars.providers.microsoft import LABEL, graph_request
from calendars.providers.oauth import api_json

LIFETIME = timedelta(minutes=4200)  # Graph's limit for Outlook events is 10,080 minutes; kept shorter


def _expiry() -> str:
    return (datetime.now(UTC) + LIFETIME).isoformat().replace("+00:00", "Z")


def microsoft_subscribe(calendar: Calendar, address: str) -> None:
    """Renew the calendar's subscription, or create one (set, not saved, on the calendar)."""
    creds = credentials_read(calendar)
    try:
        base = f"{settings.MICROSOFT_GRAPH_URL}/subscriptions"
        if calendar.push_channel_id:
            renewed = graph_request(
                creds, "PATCH", f"{base}/{calendar.push_channel_id}", json={"expirationDateTime": _expiry()}
            )
            if renewed.status_code == 200:
                calendar.push_expires_at = datetime.fromisoformat(
                    api_json(renewed, label=LABEL)["expirationDateTime"].replace("Z", "+00:00")
                )
                return
        client_state = secrets.token_urlsafe(24)
        body = {
            "changeType": "created,updated,deleted",
            "notificationUrl": address,
            "lifecycleNotificationUrl": address,
            "resource": "me/events",
            "expirationDateTime": _expiry(),
            "clientState": client_state,
        }
        created = api_json(graph_request(creds, "POST", base, json=body), label=LABEL)
        calendar.push_channel_id, calendar.push_token = created["id"], client_state
        calendar.push_expires_at = datetime.fromisoformat(created["expirationDateTime"].replace("Z", "+00:00"))
    finally:
        credentials_write(calendar, creds)


def microsoft_unsubscribe(calendar: Calendar) -> None:
    if not calendar.push_channel_id:
        return
    creds = credentials_read(calendar)
    graph_request(creds, "DELETE", f"{settings.MICROSOFT_GRAPH_URL}/subscriptions/{calendar.push_channel_id}")
    credentials_write(calendar, creds)
    calendar.push_channel_id = calendar.push_token = ""
