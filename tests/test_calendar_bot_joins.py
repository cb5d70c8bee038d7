"""A calendar meeting's bot really joins its simulated meeting at its time: an ICS feed holds a meeting
with a simulator link starting a minute from now; the sync schedules the bot, beat's dispatcher leaves it
scheduled until its time, then a real Chromium joins the meeting."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from bots.models import Bot, BotStatus
from bots.services import DISPATCH_LEAD_S, bot_request_leave, bots_dispatch_due
from calendars.connect import calendar_connect_api
from calendars.models import CalendarEvent
from simulator import services as sim
from simulator.models import SimMeeting
from tests.calendar_feeds import feed, vevent
from tests.server_process import ics_feed_server
from tests.test_session import status_of, wait_for, without_transcription

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LEAD_S = 10


@pytest.fixture
def eager():
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_a_calendar_meetings_bot_joins_the_simulated_meeting_at_its_time(
    transactional_db, live_server, media, settings, eager
):
    from accounts.services import organization_get_or_create

    settings.CALENDAR_BOT_LEAD_S = LEAD_S
    organization = organization_get_or_create(name="Calendar joins")
    meeting = sim.sim_meeting_create(
        organization=organization,
        platform="google_meet",
        scenario={"lobby": {"policy": "admit", "after_s": 1}, "participants": [{"name": "Alice Smith"}]},
    )
    link = f"{live_server.url}/simulator/google_meet/{meeting.pk}"
    start = (datetime.now(UTC) + timedelta(seconds=DISPATCH_LEAD_S + LEAD_S + 25)).replace(microsecond=0)
    server = ics_feed_server()
    try:
        url = server.publish("joins", feed(vevent("standup", start, title="Standup", link=link)))
        calendar = calendar_connect_api(organization=organization, data={"provider": "ics", "ics_url": url})
    finally:
        server.stop()
    event = CalendarEvent.objects.get(calendar=calendar)
    bot = without_transcription(event.bot)
    assert bot.status == BotStatus.SCHEDULED and bot.join_at == start - timedelta(seconds=LEAD_S)
    assert bot.meeting_url == link

    stop = threading.Event()

    def beat():
        # What celery beat does every 10 s (dispatch-scheduled-bots), here every second; eager, the
        # dispatched bot runs in this thread.
        try:
            while not stop.is_set():
                bots_dispatch_due()
                time.sleep(1)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        dispatch_at = bot.join_at - timedelta(seconds=DISPATCH_LEAD_S)
        time.sleep(max(0.0, (dispatch_at - datetime.now(UTC)).total_seconds() - 3))
        assert status_of(bot) == BotStatus.SCHEDULED  # not before its time
        wait_for(lambda: status_of(bot) == "in_call", timeout=DISPATCH_LEAD_S + LEAD_S + 60)
        joined = Bot.objects.get(pk=bot.pk).joined_at
        assert dispatch_at - timedelta(seconds=2) <= joined <= start + timedelta(seconds=30)
        # The meeting's side saw it: the bot under its name, admitted from the lobby.
        seen = SimMeeting.objects.get(pk=meeting.pk)
        assert seen.admitted_at is not None and seen.bot_name == bot.bot_name
        bot_request_leave(bot=Bot.objects.get(pk=bot.pk))
        wait_for(lambda: status_of(bot) not in ("in_call", "leaving"), timeout=30)
    finally:
        stop.set()
        thread.join(60)
