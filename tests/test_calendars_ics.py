"""ICS calendars end to end against a local feed server: connect by API, the first sync, a weekly
series across a daylight-saving change, a moved and a cancelled occurrence, conditional GETs, one bot
per meeting across calendars, rules, and a withdrawn URL."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from bots.models import Bot, BotStatus
from calendars.models import Calendar, CalendarEvent
from calendars.sync import calendar_sync
from meetings.models import MeetingEvent
from tests.calendar_feeds import BERLIN, feed, local, next_dst_change, vevent
from tests.server_process import ics_feed_server

MEET = "https://meet.google.com/abc-defg-hij"


@pytest.fixture
def ics():
    server = ics_feed_server()
    yield server
    server.stop()


@pytest.fixture
def series(settings):
    """A weekly Monday 10:00 Berlin series whose third week is across a daylight-saving change, in the window."""
    change = next_dst_change(timezone.now() + timedelta(days=9))
    first = change - timedelta(days=((change.weekday() - 0) % 7) or 7)  # the Monday before the change
    settings.CALENDAR_SYNC_DAYS_AHEAD = (change - timezone.now().date()).days + 15
    settings.CALENDAR_BOT_LEAD_S = 60
    starts = [local(first + timedelta(weeks=n), 10) for n in range(3)]
    return starts


def _connect(api, ics, secret, body, **extra):
    url = ics.publish(secret, body)
    response = api.post("/api/v1/calendars", {"provider": "ics", "ics_url": url, **extra}, format="json")
    assert response.status_code == 201, response.content
    return Calendar.objects.get(pk=response.json()["id"])


def _events(calendar):
    return list(CalendarEvent.objects.filter(calendar=calendar, is_deleted=False).order_by("start"))


def test_a_weekly_series_across_a_dst_change_gets_bots_at_10_local_each_week(api, ics, series):
    # A secret long enough that a random id cannot hold it by chance.
    secret = "s1-secret-address"
    calendar = _connect(api, ics, secret, feed(vevent("w1", series[0], rrule="FREQ=WEEKLY;COUNT=3")))
    assert calendar.state == "connected" and secret not in str(api.get(f"/api/v1/calendars/{calendar.id}").json())
    calendar_sync(calendar.id)
    events = _events(calendar)
    assert [e.start for e in events] == [s.astimezone(UTC) for s in series]
    # The same 10:00 in Berlin on both sides of the change: two different UTC hours.
    assert len({e.start.astimezone(BERLIN).hour for e in events}) == 1
    assert len({e.start.astimezone(UTC).hour for e in events}) == 2
    assert all(e.time_zone == "Europe/Berlin" and e.series_id == "w1" for e in events)
    bots = [e.bot for e in events]
    assert all(b is not None and b.status == BotStatus.SCHEDULED for b in bots)
    assert [b.join_at for b in bots] == [e.start - timedelta(seconds=60) for e in events]
    assert len({b.id for b in bots}) == 3
    listed = api.get(f"/api/v1/calendar-events?calendar_id={calendar.id}").json()
    assert [(e["id"], e["bot_id"], e["bot_status"]) for e in listed] == [(e.id, e.bot_id, "scheduled") for e in events]
    synced = MeetingEvent.objects.filter(organization_id=api.organization.pk, type="calendar.sync_events").last()
    assert synced.payload["bots_scheduled"] == 3 and set(synced.payload["event_ids"]) == {e.id for e in events}


def test_a_moved_occurrence_moves_its_bot_and_a_cancelled_one_deletes_it(api, ics, series):
    rule = "FREQ=WEEKLY;COUNT=3"
    calendar = _connect(api, ics, "s2", feed(vevent("w2", series[0], rrule=rule)))
    calendar_sync(calendar.id)
    before = _events(calendar)
    moved_to = series[1] + timedelta(hours=2)
    ics.publish(
        "s2",
        feed(
            vevent("w2", series[0], rrule=rule, exdates=(series[2],)),
            vevent("w2", moved_to, recurrence_id=series[1], title="Weekly sync (moved)"),
        ),
    )
    outcome = calendar_sync(calendar.id)
    assert outcome.bots == {"moved": 1, "cancelled": 1}
    moved = CalendarEvent.objects.get(pk=before[1].pk)
    assert moved.start == moved_to.astimezone(UTC) and moved.title == "Weekly sync (moved)"
    assert moved.bot_id == before[1].bot_id and moved.bot.join_at == moved.start - timedelta(seconds=60)
    cancelled = CalendarEvent.objects.get(pk=before[2].pk)
    assert cancelled.is_deleted and cancelled.bot is None
    assert not Bot.objects.filter(pk=before[2].bot_id).exists()
    assert CalendarEvent.objects.get(pk=before[0].pk).bot_id == before[0].bot_id


def test_an_unchanged_feed_is_asked_with_its_etag_and_changes_nothing(api, ics, series):
    calendar = _connect(api, ics, "s3", feed(vevent("w3", series[0])))
    calendar_sync(calendar.id)
    outcome = calendar_sync(calendar.id)
    assert [status for path, status in ics.log()] == [200, 304]
    assert outcome.changed_ids == [] and len(_events(calendar)) == 1 and _events(calendar)[0].bot is not None


def test_one_bot_per_meeting_and_start_across_the_organizations_calendars(api, ics, series):
    body = feed(vevent("same", series[0]))
    first = _connect(api, ics, "ada", body)
    second = _connect(api, ics, "bob", body.replace("UID:same", "UID:other-copy"))
    calendar_sync(first.id)
    calendar_sync(second.id)
    (a,), (b,) = _events(first), _events(second)
    assert a.bot_id and a.bot_id == b.bot_id
    assert Bot.objects.filter(organization=api.organization).count() == 1
    # The first calendar's copy is cancelled: the bot stays for the second.
    ics.publish("ada", feed())
    calendar_sync(first.id)
    assert Bot.objects.filter(pk=b.bot_id, status="scheduled").exists()


def test_a_bot_already_joining_is_left_alone_when_its_meeting_moves(api, ics, series):
    calendar = _connect(api, ics, "s4", feed(vevent("w4", series[0])))
    calendar_sync(calendar.id)
    (event,) = _events(calendar)
    Bot.objects.filter(pk=event.bot_id).update(status=BotStatus.JOINING)
    ics.publish("s4", feed(vevent("w4", series[0] + timedelta(hours=1))))
    calendar_sync(calendar.id)
    event.refresh_from_db()
    assert event.bot.status == BotStatus.JOINING and event.bot.join_at == series[0] - timedelta(seconds=60)


def test_rules_skip_titles_unaccepted_and_outside_meetings(api, ics, series):
    body = feed(
        vevent("a", series[0], title="Lunch"),
        vevent(
            "b",
            series[0] + timedelta(hours=1),
            organizer="bob@acme.example",
            attendees=(("ada@acme.example", "TENTATIVE"),),
        ),
        vevent("c", series[0] + timedelta(hours=2), organizer="eve@outside.example"),
        vevent("d", series[0] + timedelta(hours=3), link="https://example.com/not-a-meeting"),
        vevent("e", series[0] + timedelta(hours=4), title="Planning"),
    )
    calendar = _connect(
        api,
        ics,
        "s5",
        body,
        email="ada@acme.example",
        skip_titles=["lunch"],
        only_accepted=True,
        only_internal=True,
    )
    calendar_sync(calendar.id)
    sent = {e.provider_event_id: e.bot_id is not None for e in _events(calendar)}
    assert sent == {"a": False, "b": False, "c": False, "d": False, "e": True}
    assert CalendarEvent.objects.get(calendar=calendar, provider_event_id="d").meeting_url == ""
    # By hand, a skipped meeting gets its bot; and the rules turned off remove the others'.
    lunch = CalendarEvent.objects.get(calendar=calendar, provider_event_id="a")
    answer = api.post(f"/api/v1/calendar-events/{lunch.id}/bot", {"bot_name": "Lunch notes"}, format="json")
    assert answer.status_code == 200 and answer.json()[0]["bot_status"] == "scheduled"
    assert Bot.objects.get(pk=answer.json()[0]["bot_id"]).bot_name == "Lunch notes"
    assert api.patch(f"/api/v1/calendars/{calendar.id}", {"auto_schedule": False}, format="json").status_code == 200
    calendar_sync(calendar.id)
    sent = {e.provider_event_id: e.bot_id is not None for e in _events(calendar)}
    assert sent == {"a": True, "b": False, "c": False, "d": False, "e": False}


def test_all_occurrences_by_hand_and_delete(api, ics, series):
    calendar = _connect(api, ics, "s6", feed(vevent("w6", series[0], rrule="FREQ=WEEKLY;COUNT=3")), auto_schedule=False)
    calendar_sync(calendar.id)
    first = _events(calendar)[0]
    assert first.bot is None
    answer = api.post(f"/api/v1/calendar-events/{first.id}/bot?all_occurrences=true", {}, format="json")
    assert answer.status_code == 200 and len(answer.json()) == 3
    assert all(e["bot_status"] == "scheduled" for e in answer.json())
    patched = api.patch(f"/api/v1/calendar-events/{first.id}/bot", {"bot_name": "Renamed"}, format="json")
    assert patched.status_code == 200 and Bot.objects.get(pk=patched.json()[0]["bot_id"]).bot_name == "Renamed"
    gone = api.delete(f"/api/v1/calendar-events/{first.id}/bot")
    assert gone.status_code == 200 and gone.json()[0]["bot_id"] is None
    assert Bot.objects.filter(organization=api.organization).count() == 2
    calendar_sync(calendar.id)
    assert [e.bot_id is not None for e in _events(calendar)] == [False, True, True]


def test_a_withdrawn_url_disconnects_the_calendar_and_removes_its_bots(api, ics, series):
    calendar = _connect(api, ics, "s7", feed(vevent("w7", series[0])))
    calendar_sync(calendar.id)
    ics.withdraw("s7")
    calendar_sync(calendar.id, force=True)
    calendar.refresh_from_db()
    assert calendar.state == "disconnected" and "HTTP 404" in calendar.state_reason
    assert not Bot.objects.filter(organization=api.organization).exists()
    notice = MeetingEvent.objects.filter(organization_id=api.organization.pk, type="calendar.disconnected").get()
    assert notice.payload["calendar_id"] == calendar.id and "404" in notice.payload["reason"]
    assert api.get(f"/api/v1/calendars/{calendar.id}").json()["state"] == "disconnected"


def test_bad_input_is_a_400_naming_the_field_and_others_calendars_are_404(api, other_api, ics, series):
    assert api.post("/api/v1/calendars", {"provider": "ics"}, format="json").json()["error"]["fields"].keys() == {
        "ics_url"
    }
    refused = api.post("/api/v1/calendars", {"provider": "ics", "ics_url": "file:///etc/passwd"}, format="json")
    assert refused.status_code == 400 and "ics_url" in refused.json()["error"]["fields"]
    google = api.post("/api/v1/calendars", {"provider": "google", "refresh_token": "x"}, format="json")
    assert google.status_code == 400 and "oauth_client_id" in google.json()["error"]["fields"]
    calendar = _connect(api, ics, "s8", feed(vevent("w8", series[0])))
    calendar_sync(calendar.id)
    (event,) = _events(calendar)
    assert other_api.get(f"/api/v1/calendars/{calendar.id}").status_code == 404
    assert other_api.get(f"/api/v1/calendar-events/{event.id}").status_code == 404
    assert other_api.delete(f"/api/v1/calendar-events/{event.id}/bot").status_code == 404
    assert api.get("/api/v1/calendar-events?all=1").status_code == 400


@pytest.fixture
def eager():
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_the_periodic_resync_reads_calendars_not_read_lately_and_rules_publish_calendar_updated(
    api, ics, series, settings, eager
):
    from calendars.tasks import resync_due_calendars

    stale = _connect(api, ics, "stale", feed(vevent("a", series[0])))
    fresh = _connect(api, ics, "fresh", feed(vevent("b", series[0] + timedelta(hours=1))))
    calendar_sync(fresh.id)
    settings.CALENDAR_RESYNC_INTERVAL_S = 600
    Calendar.objects.filter(pk=stale.pk).update(last_synced_at=timezone.now() - timedelta(seconds=601))
    ics.clear_log()
    assert resync_due_calendars() == 1
    assert [path for path, _ in ics.log()] == ["/stale.ics"]
    assert len(_events(stale)) == 1
    api.patch(f"/api/v1/calendars/{stale.id}", {"only_accepted": True, "skip_titles": ["1:1"]}, format="json")
    updated = MeetingEvent.objects.filter(organization_id=api.organization.pk, type="calendar.updated").last()
    assert updated.payload["calendar_id"] == stale.id
    assert sorted(updated.payload["changed"]) == ["only_accepted", "skip_titles"]


def test_a_link_no_longer_taken_leaves_its_meeting_without_a_bot_and_the_rest_synced(api, ics, series, settings):
    sim_link = "http://127.0.0.1:8000/simulator/google_meet/abc-defg-hij"
    body = feed(vevent("sim", series[0], link=sim_link), vevent("meet", series[0] + timedelta(hours=1)))
    calendar = _connect(api, ics, "s9", body, auto_schedule=False)
    calendar_sync(calendar.id)
    assert CalendarEvent.objects.get(calendar=calendar, provider_event_id="sim").meeting_url == sim_link
    # The simulator is turned off since; the feed has not changed (304), so the stored link stays.
    settings.SIMULATOR_ENABLED = False
    Calendar.objects.filter(pk=calendar.pk).update(auto_schedule=True)
    outcome = calendar_sync(calendar.id)
    assert ics.log()[-1][1] == 304
    assert outcome.error == "" and outcome.bots == {"scheduled": 1}
    assert {e.provider_event_id: e.bot_id is not None for e in _events(calendar)} == {"sim": False, "meet": True}
