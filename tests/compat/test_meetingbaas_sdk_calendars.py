"""Meeting BaaS's SDK (`@meeting-baas/sdk` 6.0.5 from npm, run with node, unchanged) connects a Google
calendar served by the local Google server (tests/google_calendar_server.py), lists its events,
schedules a bot on every occurrence of a series, and connects a Zoom user through the local Zoom server
(tests/zoom_server.py); every answer is checked with the SDK's own zod schemas. Daphne as in production."""

import json
import shutil
import subprocess
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from bots.models import Bot
from tests.compat.npm_package import npm_prefix
from tests.conftest import make_client
from tests.live_server import daphne
from tests.server_process import google_calendar_server
from tests.zoom_server import ZoomServer

pytestmark = [pytest.mark.slow]
SCRIPT = Path(__file__).with_name("meetingbaas_sdk_calendars.mjs")
MEET = "https://meet.google.com/abc-defg-hij"
REDIRECT = "https://notula.example/zoom/callback"


def test_the_meeting_baas_sdk_connects_a_calendar_schedules_a_bot_and_a_zoom_user(transactional_db, media, tmp_path):
    prefix = npm_prefix("@meeting-baas/sdk", "6.0.5")
    issued = make_client("Calendar integrators").issued
    google = google_calendar_server()
    zoom = ZoomServer().start()
    try:
        zoom.add_user("u_alice", "alice@acme.example")
        start = (timezone.now() + timedelta(days=1)).replace(microsecond=0).astimezone(UTC)
        google.add_series("weekly", start, weeks=2, hangoutLink=MEET, summary="Weekly sync")
        inputs = {
            "google": {
                "oauth_client_id": google.client_id,
                "oauth_client_secret": google.client_secret,
                "oauth_refresh_token": google.grant("ada@acme.example"),
            },
            "zoom": {
                "authorization_code": zoom.authorize("u_alice", REDIRECT),
                "redirect_uri": REDIRECT,
                "zoom_client_id": zoom.client_id,
                "zoom_client_secret": zoom.client_secret,
            },
        }
        env = {
            "NOTULA_GOOGLE_TOKEN_URL": f"{google.url}/token",
            "NOTULA_GOOGLE_CALENDAR_API_URL": f"{google.url}/calendar/v3",
            "NOTULA_ZOOM_OAUTH_URL": zoom.url,
            "NOTULA_ZOOM_API_URL": zoom.url,
            "NOTULA_ZOOM_CLIENT_ID": zoom.client_id,
            "NOTULA_ZOOM_CLIENT_SECRET": zoom.client_secret,
        }
        with daphne(tmp_path, **env) as base:
            run = subprocess.run(
                [shutil.which("node") or "node", str(SCRIPT), str(prefix), f"{base}/compat/meetingbaas", issued.key]
                + [json.dumps(inputs)],
                capture_output=True, text=True, timeout=240,
            )  # fmt: skip
    finally:
        zoom.stop()
        google.stop()
    assert run.returncode == 0, run.stderr[-4000:]
    seen = json.loads(run.stdout)

    assert seen["failures"] == {}, seen["failures"]
    assert seen["schemaErrors"] == {}, "every answer validates against the SDK's exported schema"
    assert seen["raw"]["calendars"] == [{"id": "ada@acme.example", "email": "ada@acme.example", "is_primary": True}]
    calendar = seen["created"]["calendar"]
    assert calendar["email"] == "ada@acme.example" and seen["listed"] == [calendar] and seen["got"] == calendar
    assert seen["resynced"] == {"synced_calendars": [calendar["uuid"]], "errors": []}
    events = seen["events"]["data"]
    assert [e["name"] for e in events] == ["Weekly sync", "Weekly sync"] and all(e["is_recurring"] for e in events)
    scheduled = seen["scheduled"]
    assert len(scheduled) == 2 and all(e["bot_param"]["bot_name"] == "Calendar notes" for e in scheduled)
    assert seen["event"]["bot_param"]["extra"] == {"deal": "42"}
    assert seen["patched"][0]["bot_param"]["bot_name"] == "Renamed notes"
    assert seen["unscheduled"][0]["bot_param"] is None
    assert seen["updated"]["calendar"]["uuid"] == calendar["uuid"]
    # The bots the calendar sent are the dialect's: listed by name, with the event's extra.
    listed = seen["calendarBots"]["bots"]
    assert len(listed) == 2 and all(b["extra"]["deal"] == "42" for b in listed)
    # Disconnecting the calendar took its scheduled bots with it.
    assert not Bot.objects.filter(organization=issued.api_key.organization).exists()
    assert seen["zoomCreated"]["zoom_user_id"] == "u_alice" and seen["zoomCreated"]["state"] == "connected"
    assert seen["zoomListed"] == [seen["zoomCreated"]] and seen["zoomGot"] == seen["zoomCreated"]
    assert seen["zoomAfter"] == []
    assert seen["listedAfter"] == []
    assert "complete" in seen["webhookDocs"]["events"] and "failed" in seen["botWebhookDocs"]["events"]
    assert list(seen["calendarWebhookDocs"]["events"]) == ["calendar.sync_events"]
