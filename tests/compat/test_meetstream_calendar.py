"""MeetStream's calendar calls on Notula's calendars, against a local server speaking Google's OAuth and
Calendar v3 protocols (tests/google_calendar_server.py): connect with the integrator's OAuth client and
refresh token, list, the upcoming events, an event's bot by hand, disconnect."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bots.models import Bot
from calendars.models import Calendar
from calendars.sync import calendar_sync
from tests.conftest import make_client
from tests.server_process import google_calendar_server

pytestmark = pytest.mark.django_db
BASE = "/compat/meetstream/api/v1"
MEET = "https://meet.google.com/abc-defg-hij"


@pytest.fixture
def google(settings):
    server = google_calendar_server()
    settings.GOOGLE_TOKEN_URL = f"{server.url}/token"
    settings.GOOGLE_CALENDAR_API_URL = f"{server.url}/calendar/v3"
    yield server
    server.stop()


def test_connect_list_schedule_and_disconnect(google):
    ms = make_client("MeetStream users")
    soon = timezone.now() + timedelta(days=1)
    google.add_event("review", soon, hangoutLink=MEET, summary="Design review")
    google.add_event("lunch", soon + timedelta(hours=3), summary="Lunch")
    body = {
        "google_client_id": google.client_id,
        "google_client_secret": google.client_secret,
        "google_refresh_token": google.grant("ada@acme.example"),
    }
    created = ms.post(f"{BASE}/calendar/create_calendar", body, format="json")
    assert created.status_code == 201, created.json()
    calendar_id = created.json()["calendar_id"]
    assert (created.json()["provider"], created.json()["email"]) == ("google", "ada@acme.example")
    assert [c["calendar_id"] for c in ms.get(f"{BASE}/calendar").json()["calendars"]] == [calendar_id]

    Calendar.objects.filter(pk=calendar_id).update(auto_schedule=False)
    calendar_sync(calendar_id)
    events = ms.get(f"{BASE}/calendar/events").json()["events"]
    assert [(e["title"], e["meeting_link"], e["bot_scheduled"]) for e in events] == [
        ("Design review", MEET, False),
        ("Lunch", None, False),
    ]
    review, lunch = events
    scheduled = ms.post(f"{BASE}/calendar/schedule/{review['event_id']}", {"bot_name": "Notes"}, format="json")
    assert scheduled.status_code == 200, scheduled.json()
    bot = Bot.objects.get(pk=scheduled.json()["events"][0]["bot_id"])
    assert (bot.bot_name, bot.meeting_url, scheduled.json()["events"][0]["bot_status"]) == ("Notes", MEET, "Joining")
    no_link = ms.post(f"{BASE}/calendar/schedule/{lunch['event_id']}", {}, format="json")
    assert no_link.status_code == 409 and no_link.json()["detail"]
    removed = ms.delete(f"{BASE}/calendar/schedule/{review['event_id']}")
    assert removed.status_code == 200 and removed.json()["events"][0]["bot_scheduled"] is False

    other = make_client("Elsewhere")
    assert other.post(f"{BASE}/calendar/schedule/{review['event_id']}", {}, format="json").status_code == 404
    assert other.post(f"{BASE}/calendar/disconnect", {"calendar_id": calendar_id}, format="json").status_code == 404
    gone = ms.post(f"{BASE}/calendar/disconnect", {}, format="json")
    assert gone.json() == {"calendar_id": calendar_id, "status": "disconnected"}
    assert not Calendar.objects.filter(pk=calendar_id).exists()


def test_bad_calendar_input_is_a_400_naming_the_field(google):
    ms = make_client("MeetStream users")
    missing = ms.post(f"{BASE}/calendar/create_calendar", {"google_client_id": "x"}, format="json")
    assert missing.status_code == 400 and "google_client_secret" in missing.json()["detail"]
    body = {"google_client_id": google.client_id, "google_client_secret": "wrong", "google_refresh_token": "1//x"}
    refused = ms.post(f"{BASE}/calendar/create_calendar", body, format="json")
    assert refused.status_code in (400, 502) and refused.json()["detail"]
    assert ms.post(f"{BASE}/calendar/disconnect", {"calendar_id": "cal_nothing"}, format="json").status_code == 404
