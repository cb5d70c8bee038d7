"""The calendars page as a new user meets it: connect an ICS URL holding a weekly meeting with a
simulator link, see the next occurrences with bots scheduled, move one in the feed and see its bot move;
the schedule toggle; the rules; Google's Connect button through the consent and back."""

from datetime import UTC, timedelta
from urllib.parse import urlsplit

import pytest
import requests
from django.utils import timezone

from bots.models import Bot
from calendars.models import Calendar, CalendarEvent
from tests.calendar_feeds import feed, local, vevent
from tests.server_process import google_calendar_server, ics_feed_server

SIM_LINK = "http://127.0.0.1:8000/simulator/google_meet/abc-defg-hij"


@pytest.fixture
def ics():
    server = ics_feed_server()
    yield server
    server.stop()


def _next_monday_10():
    day = (timezone.now() + timedelta(days=2)).date()
    while day.weekday() != 0:
        day += timedelta(days=1)
    return local(day, 10)


def test_connecting_an_ics_url_shows_the_next_occurrences_with_bots_and_a_moved_one_moves_its_bot(signed_in, ics):
    first = _next_monday_10()
    rule = "FREQ=WEEKLY;COUNT=6"
    url = ics.publish("team", feed(vevent("weekly", first, rrule=rule, link=SIM_LINK, title="Team weekly")))
    page = signed_in.post("/dashboard/calendars/", {"ics_url": url}, follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Connected ICS calendar" in html
    calendar = Calendar.objects.get()
    events = list(CalendarEvent.objects.filter(calendar=calendar).order_by("start"))
    assert len(events) >= 3 and all(e.bot is not None for e in events)
    assert html.count("Team weekly") == len(events)
    assert html.count('class="badge badge-scheduled event-bot-status"') == len(events)
    second = events[1]
    bot_id, join_at = second.bot_id, second.bot.join_at
    moved_to = first + timedelta(weeks=1, hours=3)
    ics.publish(
        "team",
        feed(
            vevent("weekly", first, rrule=rule, link=SIM_LINK, title="Team weekly"),
            vevent("weekly", moved_to, recurrence_id=first + timedelta(weeks=1), link=SIM_LINK, title="Team weekly"),
        ),
    )
    signed_in.post(f"/dashboard/calendars/{calendar.id}/resync", follow=True)
    second.refresh_from_db()
    assert second.bot_id == bot_id and second.bot.join_at == moved_to.astimezone(UTC) - timedelta(seconds=60)
    assert second.bot.join_at != join_at


def test_the_schedule_toggle_and_the_rules(signed_in, ics):
    start = _next_monday_10()
    url = ics.publish("t2", feed(vevent("a", start, title="Lunch"), vevent("b", start + timedelta(hours=2))))
    signed_in.post("/dashboard/calendars/", {"ics_url": url})
    calendar = Calendar.objects.get()
    lunch = CalendarEvent.objects.get(calendar=calendar, provider_event_id="a")
    signed_in.post(f"/dashboard/calendar-events/{lunch.id}/toggle")
    lunch.refresh_from_db()
    assert lunch.bot is None and lunch.bot_wanted is False
    assert "no bot (by hand)" in signed_in.get("/dashboard/calendars/").content.decode()
    signed_in.post(f"/dashboard/calendars/{calendar.id}/rules", {"auto_schedule": "on", "skip_titles": "standup"})
    signed_in.post(f"/dashboard/calendars/{calendar.id}/rules", {"auto_schedule": "on", "skip_titles": "lunch, 1:1"})
    calendar.refresh_from_db()
    assert calendar.skip_titles == ["lunch", "1:1"]
    other = CalendarEvent.objects.get(calendar=calendar, provider_event_id="b")
    assert other.bot is not None
    signed_in.post(f"/dashboard/calendars/{calendar.id}/rules", {"skip_titles": ""})
    other.refresh_from_db()
    assert other.bot is None and not Bot.objects.exists()


def test_a_bad_ics_url_is_said_on_the_form(signed_in):
    page = signed_in.post("/dashboard/calendars/", {"ics_url": "ftp://example.com/cal.ics"})
    assert page.status_code == 400 and 'data-error-for="ics_url"' in page.content.decode()
    assert not Calendar.objects.exists()


def test_another_organizations_calendar_is_a_404(signed_in, other_org):
    from calendars.connect import calendar_create

    theirs = calendar_create(
        organization=other_org, provider="ics", credentials={"ics_url": "https://example.com/x.ics"}
    )
    assert signed_in.post(f"/dashboard/calendars/{theirs.id}/remove").status_code == 404
    assert Calendar.objects.filter(pk=theirs.id).exists()


@pytest.fixture
def google(settings):
    server = google_calendar_server()
    settings.GOOGLE_CLIENT_ID, settings.GOOGLE_CLIENT_SECRET = server.client_id, server.client_secret
    settings.GOOGLE_OAUTH_URL = f"{server.url}/o/oauth2/v2/auth"
    settings.GOOGLE_TOKEN_URL = f"{server.url}/token"
    settings.GOOGLE_CALENDAR_API_URL = f"{server.url}/calendar/v3"
    yield server
    server.stop()


def _through_consent(signed_in, start: str):
    """Connect button -> the provider's consent page (a real HTTP request) -> back to Notula."""
    to_google = signed_in.get(start)
    assert to_google.status_code == 302
    consent = requests.get(to_google["Location"], allow_redirects=False, timeout=10)
    assert consent.status_code == 302
    back = urlsplit(consent.headers["Location"])
    return signed_in.get(f"{back.path}?{back.query}", follow=True)


def test_connect_google_from_the_dashboard(signed_in, google):
    google.add_event("one", _next_monday_10(), hangoutLink="https://meet.google.com/abc-defg-hij", summary="Kickoff")
    assert 'id="connect-google"' in signed_in.get("/dashboard/calendars/").content.decode()
    page = _through_consent(signed_in, "/dashboard/calendars/connect/google")
    html = page.content.decode()
    assert "Connected ada@acme.example" in html and "Kickoff" in html
    calendar = Calendar.objects.get()
    assert calendar.provider == "google" and calendar.owner is not None
    consent = next(line for line in google.log() if line.startswith("GET /o/oauth2/v2/auth"))
    assert "access_type=offline" in consent and "prompt=consent" in consent and "calendar.readonly" in consent
    assert CalendarEvent.objects.get(calendar=calendar).bot is not None


def test_a_denied_consent_connects_nothing_and_says_so(signed_in, google):
    google.deny_consent()
    page = _through_consent(signed_in, "/dashboard/calendars/connect/google")
    assert "access_denied" in page.content.decode() and not Calendar.objects.exists()
