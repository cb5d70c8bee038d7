"""Microsoft calendars end to end against a local server speaking the identity platform's token endpoint
and Graph (tests/graph_server.py): connect by API (rotating refresh tokens kept), a paged calendarView
delta, delta links, 410, 429 with Retry-After, a subscription with Graph's validation handshake, change
and lifecycle notifications, a moved and a deleted occurrence, a weekly series across a daylight-saving
change, SafeLinks in the body, and a revoked grant."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from bots.models import Bot
from calendars.credentials import credentials_read
from calendars.models import Calendar, CalendarEvent
from calendars.sync import calendar_sync
from meetings.models import MeetingEvent
from tests.calendar_feeds import BERLIN, local, next_dst_change
from tests.server_process import graph_server

TEAMS = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%22Tid%22%3a%22t%22%7d"


@pytest.fixture
def graph(settings):
    server = graph_server()
    settings.MICROSOFT_LOGIN_URL = server.url
    settings.MICROSOFT_GRAPH_URL = f"{server.url}/v1.0"
    yield server
    server.stop()


@pytest.fixture
def week(settings):
    change = next_dst_change(timezone.now() + timedelta(days=9))
    first = change - timedelta(days=(change.weekday() % 7) or 7)
    settings.CALENDAR_SYNC_DAYS_AHEAD = (change - timezone.now().date()).days + 15
    return local(first, 10)


def _payload(graph) -> dict:
    return {
        "provider": "microsoft",
        "refresh_token": graph.grant("ada@acme.example"),
        "oauth_client_id": graph.client_id,
        "oauth_client_secret": graph.client_secret,
    }


def _connect(api, graph, payload: dict | None = None) -> Calendar:
    response = api.post("/api/v1/calendars", payload or _payload(graph), format="json")
    assert response.status_code == 201, response.content
    return Calendar.objects.get(pk=response.json()["id"])


def _live(calendar):
    return list(CalendarEvent.objects.filter(calendar=calendar, is_deleted=False).order_by("start"))


def test_connect_delta_paged_then_changes_with_rotated_refresh_tokens(api, graph, week):
    graph.add_event("e1", week, subject="Review", onlineMeeting={"joinUrl": TEAMS})
    wrapped = "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmeet.google.com%2Fabc-defg-hij&data=05"
    graph.add_event(
        "e2", week + timedelta(hours=1), body={"contentType": "html", "content": f'<a href="{wrapped}">Join</a>'}
    )
    graph.add_event("e3", week + timedelta(hours=2), location={"displayName": "Room 1"})
    given = _payload(graph)
    calendar = _connect(api, graph, given)
    assert (calendar.email, calendar.name) == ("ada@acme.example", "Ada Lovelace")
    # Microsoft rotated the refresh token at the connect: the one given is spent and the new one is kept.
    kept = credentials_read(calendar)["refresh_token"]
    assert kept != given["refresh_token"] and given["refresh_token"] not in graph.live_refresh_tokens()
    assert kept in graph.live_refresh_tokens()
    calendar_sync(calendar.id)
    events = _live(calendar)
    assert [e.meeting_url for e in events] == [TEAMS, "https://meet.google.com/abc-defg-hij", ""]
    assert [e.bot_id is not None for e in events] == [True, True, False]
    assert sum("calendarView/delta?" in line and "skiptoken" in line for line in graph.log()) == 1
    calendar.refresh_from_db()
    assert "deltatoken" in calendar.sync_token
    graph.move("e1", week + timedelta(minutes=30))
    graph.delete("e2")
    outcome = calendar_sync(calendar.id)
    assert any("deltatoken" in line for line in graph.log()[-3:])
    assert outcome.bots == {"moved": 1, "cancelled": 1}
    assert [e.provider_event_id for e in _live(calendar)] == ["e1", "e3"]
    moved = _live(calendar)[0]
    assert moved.bot.join_at == (week + timedelta(minutes=30)).astimezone(UTC) - timedelta(seconds=60)


def test_410_means_a_full_read_and_429_waits(api, graph, week):
    graph.add_event("e1", week, onlineMeeting={"joinUrl": TEAMS})
    calendar = _connect(api, graph)
    calendar_sync(calendar.id)
    graph.expire_delta()
    graph.add_event("e2", week + timedelta(hours=1), onlineMeeting={"joinUrl": TEAMS.replace("abc", "def")})
    calendar_sync(calendar.id)
    assert [e.provider_event_id for e in _live(calendar)] == ["e1", "e2"]
    graph.throttle(11)
    outcome = calendar_sync(calendar.id)
    assert outcome.retry_after_s == 11 and Calendar.objects.get(pk=calendar.id).state == "connected"


def test_a_weekly_series_across_dst_a_moved_occurrence_and_a_revoked_grant(api, graph, week):
    occurrences = graph.add_series("master", week, 3, subject="Weekly", onlineMeeting={"joinUrl": TEAMS})
    calendar = _connect(api, graph)
    calendar_sync(calendar.id)
    events = _live(calendar)
    assert {e.start.astimezone(BERLIN).hour for e in events} == {10} and len({e.start.hour for e in events}) == 2
    assert {e.series_id for e in events} == {"master"} and all(e.bot for e in events)
    graph.move(occurrences[1]["id"], week + timedelta(weeks=1, hours=1))
    assert calendar_sync(calendar.id).bots == {"moved": 1}
    graph.revoke()
    calendar_sync(calendar.id)
    calendar.refresh_from_db()
    assert calendar.state == "disconnected" and "invalid_grant" in calendar.state_reason
    assert not Bot.objects.filter(organization=api.organization).exists()
    assert MeetingEvent.objects.filter(organization_id=api.organization.pk, type="calendar.disconnected").count() == 1


def test_a_refused_refresh_token_is_a_400(api, graph):
    response = api.post("/api/v1/calendars", {**_payload(graph), "refresh_token": "M.R3_spent"}, format="json")
    assert response.status_code == 400 and "refresh_token" in response.json()["error"]["fields"]


@pytest.fixture
def eager():
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_a_subscription_validated_then_notified_and_renewed(
    transactional_db, live_server, graph, week, settings, eager
):
    from accounts.services import organization_get_or_create
    from calendars.connect import calendar_connect_api
    from calendars.push_channels import push_renew

    settings.PUBLIC_URL = live_server.url
    organization = organization_get_or_create(name="Pushed")
    graph.add_event("e1", week, onlineMeeting={"joinUrl": TEAMS})
    calendar = calendar_connect_api(organization=organization, data=_payload(graph))
    assert [e.provider_event_id for e in _live(calendar)] == ["e1"]
    assert push_renew(calendar.id) == ""  # Graph's validation handshake went through
    calendar.refresh_from_db()
    (sub,) = graph.subscription_list()
    assert sub["id"] == calendar.push_channel_id and sub["notificationUrl"].endswith("/calendars/push/microsoft")
    graph.add_event("e2", week + timedelta(hours=1), onlineMeeting={"joinUrl": TEAMS.replace("abc", "xyz")})
    assert graph.notify("created") == [202]
    assert [e.provider_event_id for e in _live(calendar)] == ["e1", "e2"]
    # A lifecycle notification asks for a renewal: the subscription is PATCHed, not made anew.
    settings.CALENDAR_PUSH_DEBOUNCE_S = 0
    assert graph.lifecycle("reauthorizationRequired") == [202]
    assert any(line.startswith(f"PATCH /v1.0/subscriptions/{calendar.push_channel_id}") for line in graph.log())
    assert [s["id"] for s in graph.subscription_list()] == [calendar.push_channel_id]
    # A notification with the wrong clientState is not ours.
    graph.forge_client_state(sub["id"], "forged")
    before = len(graph.log())
    assert graph.notify("updated") == [202] and not any("delta" in line for line in graph.log()[before:])


def test_an_answer_that_cannot_be_read_keeps_the_rotated_token_and_says_so(api, graph, week):
    graph.add_event("e1", week, onlineMeeting={"joinUrl": TEAMS})
    calendar = _connect(api, graph)
    calendar_sync(calendar.id)
    graph.expire_access_tokens()  # the next read refreshes (and rotates) first
    graph.replace_start("e1", {"dateTime": "not a time", "timeZone": "UTC"})
    outcome = calendar_sync(calendar.id)
    calendar.refresh_from_db()
    assert calendar.state == "error" and "could not be read" in calendar.state_reason and outcome.error
    assert credentials_read(calendar)["refresh_token"] in graph.live_refresh_tokens()  # the rotated one, kept
    graph.replace_start(
        "e1",
        {"dateTime": week.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"},
        as_change=False,
    )
    calendar_sync(calendar.id)
    assert Calendar.objects.get(pk=calendar.id).state == "connected"
