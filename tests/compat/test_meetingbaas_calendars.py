"""Meeting BaaS's calendars against the local Google server (tests/google_calendar_server.py): raw
calendars, connect, list, read, reconnect, events with filters and cursor, a bot on an event and on
every occurrence of a series, resync_all, delete, and the calendar.sync_events webhook."""

import json
from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from bots.models import Bot
from calendars.models import Calendar, CalendarEvent
from calendars.sync import calendar_sync
from compat.meetingbaas import calendar_events, renderer
from compat.meetingbaas.ids import uuid_for
from tests.compat.test_meetingbaas_api import BASE, baas_client
from tests.factories import event_data
from tests.server_process import google_calendar_server
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db
MEET = "https://meet.google.com/abc-defg-hij"


@pytest.fixture
def google(settings):
    server = google_calendar_server()
    settings.GOOGLE_TOKEN_URL = f"{server.url}/token"
    settings.GOOGLE_CALENDAR_API_URL = f"{server.url}/calendar/v3"
    yield server
    server.stop()


@pytest.fixture
def mb(db):
    return baas_client("Meeting BaaS calendars")


def oauth(google, email="ada@acme.example") -> dict:
    return {
        "oauth_client_id": google.client_id,
        "oauth_client_secret": google.client_secret,
        "oauth_refresh_token": google.grant(email),
        "platform": "Google",
    }


def soon(hours: int):
    return (timezone.now() + timedelta(hours=hours)).replace(microsecond=0).astimezone(UTC)


def connected(mb, google) -> dict:
    answer = mb.post(f"{BASE}/calendars/", oauth(google), format="json")
    assert answer.status_code == 200, answer.content
    return answer.json()["calendar"]


def test_raw_calendars_connect_list_get_patch_and_delete(mb, google):
    raw = mb.post(f"{BASE}/calendars/raw", oauth(google), format="json").json()
    assert raw == {"calendars": [{"id": "ada@acme.example", "email": "ada@acme.example", "is_primary": True}]}
    calendar = connected(mb, google)
    assert (calendar["email"], calendar["google_id"]) == ("ada@acme.example", "ada@acme.example")
    assert uuid_for(Calendar.objects.get(organization=mb.organization).id) == calendar["uuid"]
    assert mb.get(f"{BASE}/calendars/").json() == [calendar]
    assert mb.get(f"{BASE}/calendars/{calendar['uuid']}").json() == calendar
    patched = mb.patch(f"{BASE}/calendars/{calendar['uuid']}", oauth(google), format="json")
    assert patched.status_code == 200 and patched.json()["calendar"]["uuid"] == calendar["uuid"]
    assert Calendar.objects.filter(organization=mb.organization).count() == 1
    assert baas_client("Others").get(f"{BASE}/calendars/{calendar['uuid']}").status_code == 404
    assert mb.delete(f"{BASE}/calendars/{calendar['uuid']}").status_code == 200
    assert mb.get(f"{BASE}/calendars/").json() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"platform": "Yahoo"}, "platform"),
        ({"oauth_refresh_token": "1//not-granted"}, "oauth_refresh_token"),
        ({"raw_calendar_id": "nobody@acme.example"}, "raw_calendar_id"),
    ],
)
def test_bad_calendar_input_is_a_400_naming_the_field(mb, google, body, field):
    answer = mb.post(f"{BASE}/calendars/", {**oauth(google), **body}, format="json")
    assert answer.status_code == 400 and field in answer.json()["error"], answer.json()


def test_events_filters_cursor_and_a_bot_on_an_event(mb, google, monkeypatch):
    google.add_event("one", soon(3), hangoutLink=MEET, summary="Design review",
                     attendees=[{"email": "bob@acme.example", "responseStatus": "accepted"}])  # fmt: skip
    google.add_event("two", soon(5), hangoutLink="https://meet.google.com/xyz-abcd-efg", summary="Standup",
                     organizer={"email": "carol@globex.example"})  # fmt: skip
    calendar = connected(mb, google)
    calendar_sync(Calendar.objects.get(organization=mb.organization).id)
    listing = mb.get(f"{BASE}/calendar_events/", {"calendar_id": calendar["uuid"]}).json()
    assert [e["name"] for e in listing["data"]] == ["Design review", "Standup"] and listing["next"] is None
    assert all(e["bot_param"] is None for e in listing["data"]), "no rule sends a bot by itself"
    assert all(e["calendar_uuid"] == calendar["uuid"] and e["start_time"].endswith("Z") for e in listing["data"])

    def names(**query):
        answer = mb.get(f"{BASE}/calendar_events/", {"calendar_id": calendar["uuid"], **query})
        return [e["name"] for e in answer.json()["data"]]

    assert names(attendee_email="BOB@acme.example") == ["Design review"]
    assert names(organizer_email="carol@globex.example") == ["Standup"]
    assert names(start_date_gte=soon(4).isoformat()) == ["Standup"]
    assert names(start_date_lte=soon(4).isoformat()) == ["Design review"]
    assert names(status="past") == []
    assert names(status="all", updated_at_gte=(timezone.now() - timedelta(minutes=5)).isoformat()) == [
        "Design review", "Standup",
    ]  # fmt: skip
    monkeypatch.setattr(calendar_events, "PAGE", 1)
    first = mb.get(f"{BASE}/calendar_events/", {"calendar_id": calendar["uuid"]}).json()
    second = mb.get(f"{BASE}/calendar_events/", {"calendar_id": calendar["uuid"], "cursor": first["next"]}).json()
    assert [e["name"] for e in first["data"] + second["data"]] == ["Design review", "Standup"]
    assert second["next"] is None
    for bad in ({"status": "soon"}, {"cursor": "nope"}, {"start_date_gte": "tomorrow"}):
        assert mb.get(f"{BASE}/calendar_events/", {"calendar_id": calendar["uuid"], **bad}).status_code == 400
    unknown = {"calendar_id": "00000000-0000-4000-8000-000000000000"}
    assert mb.get(f"{BASE}/calendar_events/", unknown).status_code == 404

    event_uuid = listing["data"][0]["uuid"]
    scheduled = mb.post(
        f"{BASE}/calendar_events/{event_uuid}/bot",
        {"bot_name": "Notes", "enter_message": "Hello", "extra": {"deal": "42"}, "webhook_url": "https://app.example.com/h",
         "recording_mode": "audio_only", "noone_joined_timeout": 300},
        format="json",
    )  # fmt: skip
    assert scheduled.status_code == 200, scheduled.content
    [event] = scheduled.json()
    assert event["uuid"] == event_uuid and event["bot_param"]["bot_name"] == "Notes"
    assert event["bot_param"]["extra"] == {"deal": "42"} and event["bot_param"]["noone_joined_timeout"] == 300
    bot = CalendarEvent.objects.get(calendar__organization=mb.organization, title="Design review").bot
    assert (bot.bot_name, bot.entry_message, bot.dialect, bot.status) == ("Notes", "Hello", "meetingbaas", "scheduled")
    assert bot.metadata["deal"] == "42" and bot.settings["automatic_leave"]["noone_joined_timeout"] == 300
    endpoint = WebhookEndpoint.objects.get(meeting=bot.meeting)
    assert (endpoint.format, endpoint.secret) == ("meetingbaas", mb.issued.key)
    assert uuid_for(bot.id) in [b["uuid"] for b in mb.get(f"{BASE}/bots/bots_with_metadata").json()["bots"]]
    assert mb.get(f"{BASE}/calendar_events/{event_uuid}").json()["bot_param"]["bot_name"] == "Notes"

    patched = mb.patch(f"{BASE}/calendar_events/{event_uuid}/bot", {"bot_name": "Minutes"}, format="json")
    assert patched.status_code == 200 and patched.json()[0]["bot_param"]["bot_name"] == "Minutes"
    bot.refresh_from_db()
    assert bot.bot_name == "Minutes"
    refused = mb.patch(f"{BASE}/calendar_events/{event_uuid}/bot", {"webhook_url": "https://x.example"}, format="json")
    assert refused.status_code == 400 and "webhook_url" in refused.json()["error"]
    removed = mb.delete(f"{BASE}/calendar_events/{event_uuid}/bot")
    assert removed.status_code == 200 and removed.json()[0]["bot_param"] is None
    assert not Bot.objects.filter(pk=bot.pk).exists()


def test_a_bot_on_every_occurrence_and_resync_all(mb, google, settings):
    google.add_series("weekly", soon(30), weeks=3, hangoutLink=MEET, summary="Weekly")
    calendar = connected(mb, google)
    resynced = mb.post(f"{BASE}/calendars/resync_all")
    assert resynced.json() == {"synced_calendars": [calendar["uuid"]], "errors": []}
    assert mb.post(f"{BASE}/calendars/resync_all?days=3").status_code == 400
    events = mb.get(f"{BASE}/calendar_events/", {"calendar_id": calendar["uuid"]}).json()["data"]
    assert len(events) == 3 and all(e["is_recurring"] for e in events)
    answer = mb.post(
        f"{BASE}/calendar_events/{events[0]['uuid']}/bot?all_occurrences=true", {"bot_name": "Weekly notes"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 200 and len(answer.json()) == 3
    assert Bot.objects.filter(organization=mb.organization, bot_name="Weekly notes").count() == 3


def test_the_sync_events_webhook(mb):
    event = {
        "id": "evt_1",
        "type": "calendar.sync_events",
        "meeting_id": None,
        "bot_id": None,
        "sequence": 3,
        "created_at": "2026-02-10T14:30:00.123456Z",
        "data": event_data(
            "calendar.sync_events", calendar_id="cal_00000000000000000000Az", event_ids=["cev_00000000000000000000Bz"]
        ),
    }
    rendered = renderer.render(event, secret="whsec_x", delivery_id="dlv_1", attempt=1, now=0.0)
    body = json.loads(rendered.body)
    assert body == {
        "event": "calendar.sync_events",
        "data": {
            "calendar_id": uuid_for("cal_00000000000000000000Az"),
            "last_updated_ts": "2026-02-10T14:30:00.123Z",
            "affected_event_uuids": [uuid_for("cev_00000000000000000000Bz")],
        },
    }
    assert rendered.headers["x-meeting-baas-api-key"] == "whsec_x"
