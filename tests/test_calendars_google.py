"""Google calendars end to end against a local server speaking Google's OAuth and Calendar v3 protocols
(tests/google_calendar_server.py): connect by API, a paged first sync, sync tokens, 410, 429 with
Retry-After, a push through a watch channel, a moved and a cancelled instance, a weekly series across a
daylight-saving change, a deleted series, and a revoked grant."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from bots.models import Bot
from calendars.models import Calendar, CalendarEvent
from calendars.sync import calendar_sync
from meetings.models import MeetingEvent
from tests.calendar_feeds import BERLIN, local, next_dst_change
from tests.server_process import google_calendar_server

MEET = "https://meet.google.com/abc-defg-hij"


@pytest.fixture
def google(settings):
    server = google_calendar_server()
    settings.GOOGLE_TOKEN_URL = f"{server.url}/token"
    settings.GOOGLE_CALENDAR_API_URL = f"{server.url}/calendar/v3"
    yield server
    server.stop()


@pytest.fixture
def week(settings):
    """Monday 10:00 Berlin in the week before a daylight-saving change, with the window over both."""
    change = next_dst_change(timezone.now() + timedelta(days=9))
    first = change - timedelta(days=(change.weekday() % 7) or 7)
    settings.CALENDAR_SYNC_DAYS_AHEAD = (change - timezone.now().date()).days + 15
    return local(first, 10)


def _connect(api, google, **extra) -> Calendar:
    body = {
        "provider": "google",
        "refresh_token": google.grant("ada@acme.example"),
        "oauth_client_id": google.client_id,
        "oauth_client_secret": google.client_secret,
        **extra,
    }
    response = api.post("/api/v1/calendars", body, format="json")
    assert response.status_code == 201, response.content
    return Calendar.objects.get(pk=response.json()["id"])


def _live(calendar):
    return list(CalendarEvent.objects.filter(calendar=calendar, is_deleted=False).order_by("start"))


def test_connect_sync_paged_then_incremental_moves_and_cancels(api, google, week):
    google.add_event("one", week, hangoutLink=MEET, summary="Design review")
    google.add_event("two", week + timedelta(hours=2), location=f"Room 4 / {MEET}")
    google.add_event("three", week + timedelta(hours=4), description="no link here")
    calendar = _connect(api, google)
    assert (calendar.email, calendar.provider_calendar_id, calendar.state) == (
        "ada@acme.example",
        "ada@acme.example",
        "connected",
    )
    assert "1//" not in str(api.get(f"/api/v1/calendars/{calendar.id}").json())
    calendar_sync(calendar.id)
    events = _live(calendar)
    assert [e.provider_event_id for e in events] == ["one", "two", "three"]
    assert [e.meeting_url for e in events] == [MEET, MEET, ""]
    assert [e.bot_id is not None for e in events] == [True, True, False]
    # Three events at two a page: two pages, and the last one's sync token kept.
    assert sum("/events?" in line and "timeMin" in line for line in google.log()) == 2
    assert calendar.__class__.objects.get(pk=calendar.id).sync_token.startswith("sync_")
    one, two = events[0], events[1]
    google.move("one", week + timedelta(hours=1))
    google.cancel("two")
    outcome = calendar_sync(calendar.id)
    assert any("syncToken=" in line for line in google.log()[-3:])
    assert outcome.bots == {"moved": 1, "cancelled": 1}
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.start == (week + timedelta(hours=1)).astimezone(UTC) and one.bot.join_at == one.start - timedelta(
        seconds=60
    )
    assert two.is_deleted and not Bot.objects.filter(pk=events[1].bot_id).exists()


def test_an_expired_sync_token_means_a_full_read_and_429_waits_for_retry_after(api, google, week):
    google.add_event("one", week, hangoutLink=MEET)
    calendar = _connect(api, google)
    calendar_sync(calendar.id)
    google.expire_sync_tokens()
    google.add_event("two", week + timedelta(hours=1), hangoutLink="https://meet.google.com/bcd-efgh-ijk")
    calendar_sync(calendar.id)
    assert [e.provider_event_id for e in _live(calendar)] == ["one", "two"]
    google.throttle(7)
    outcome = calendar_sync(calendar.id)
    assert outcome.retry_after_s == 7 and "slow down" in outcome.error
    assert Calendar.objects.get(pk=calendar.id).state == "connected"


def test_a_weekly_series_across_dst_and_a_deleted_series(api, google, week):
    google.add_series("series", week, 3, hangoutLink=MEET, summary="Weekly")
    calendar = _connect(api, google)
    calendar_sync(calendar.id)
    events = _live(calendar)
    assert len(events) == 3 and {e.series_id for e in events} == {"series"}
    assert {e.start.astimezone(BERLIN).hour for e in events} == {10}
    assert len({e.start.astimezone(UTC).hour for e in events}) == 2
    assert [e.bot.join_at for e in events] == [e.start - timedelta(seconds=60) for e in events]
    for event_id in google.event_ids():
        google.cancel(event_id)
    calendar_sync(calendar.id)
    assert _live(calendar) == [] and not Bot.objects.filter(organization=api.organization).exists()


def test_a_revoked_grant_disconnects_the_calendar_and_says_so(api, google, week):
    google.add_event("one", week, hangoutLink=MEET)
    calendar = _connect(api, google)
    calendar_sync(calendar.id)
    google.revoke()
    calendar_sync(calendar.id)
    calendar.refresh_from_db()
    assert calendar.state == "disconnected" and "invalid_grant" in calendar.state_reason
    assert not Bot.objects.filter(organization=api.organization).exists()
    notice = MeetingEvent.objects.get(organization_id=api.organization.pk, type="calendar.disconnected")
    assert notice.payload["provider"] == "google"
    assert calendar_sync(calendar.id).changed_ids == []  # a disconnected calendar is not read
    # Connected again with a new grant: the same calendar, read again, its meeting's bot back.
    again = _connect(api, google)
    assert again.id == calendar.id and again.state == "connected" and again.state_reason == ""
    calendar_sync(calendar.id)
    assert [e.bot_id is not None for e in _live(calendar)] == [True]
    assert Calendar.objects.filter(organization=api.organization).count() == 1


def test_a_refused_refresh_token_is_a_400_naming_it(api, google):
    body = {
        "provider": "google",
        "refresh_token": "1//bogus",
        "oauth_client_id": google.client_id,
        "oauth_client_secret": google.client_secret,
    }
    response = api.post("/api/v1/calendars", body, format="json")
    assert response.status_code == 400 and "refresh_token" in response.json()["error"]["fields"]
    assert not Calendar.objects.exists()


@pytest.fixture
def eager():
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_a_push_through_the_watch_channel_syncs_the_calendar(
    transactional_db, live_server, google, week, settings, eager
):
    from accounts.services import api_key_create, organization_get_or_create
    from calendars.connect import calendar_connect_api
    from calendars.push_channels import push_renew

    settings.PUBLIC_URL = live_server.url
    settings.CALENDAR_PUSH_DEBOUNCE_S = 2
    organization = organization_get_or_create(name="Pushed")
    api_key_create(organization=organization)
    google.add_event("one", week, hangoutLink=MEET)
    credentials = {
        "provider": "google",
        "refresh_token": google.grant("ada@acme.example"),
        "oauth_client_id": google.client_id,
        "oauth_client_secret": google.client_secret,
    }
    calendar = calendar_connect_api(organization=organization, data=credentials)
    # Connecting read it once already (eager) and opening the channel is what the beat does.
    assert [e.provider_event_id for e in _live(calendar)] == ["one"]
    assert push_renew(calendar.id) == ""
    calendar.refresh_from_db()
    assert calendar.push_channel_id in google.channel_ids()
    assert calendar.push_expires_at > timezone.now() + timedelta(days=6)
    google.add_event("two", week + timedelta(hours=1), hangoutLink="https://meet.google.com/bcd-efgh-ijk")
    assert google.notify("exists") == [200]
    assert google.notify("exists") == [200]  # within the debounce: no second sync
    assert [e.provider_event_id for e in _live(calendar)] == ["one", "two"]
    assert sum("syncToken=" in line for line in google.log()) == 1
    # A channel Notula did not open is told to stop (404).
    google.copy_channel(calendar.push_channel_id, "stranger", token="x")
    assert sorted(google.notify("exists")) == [200, 404]
