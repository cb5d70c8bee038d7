"""Zoom tokens and consent, with whole bots in the simulator's Zoom: a meeting for authorized attendees
only refuses the anonymous bot and takes one with a ZAK, given or fetched from an OAuth connection;
a meeting where the host must allow recording is asked, and a refusal or no answer ends the bot with
recording_permission_denied."""

import pytest

from accounts.models import ZoomConnection
from accounts.zoom import zoom_connection_create
from bots.models import BotEvent
from bots.zoom_auth import bot_zoom_options
from simulator import services as sim
from simulator.doors import door_links
from simulator.models import SimMeeting
from tests.factories import BotFactory, MeetingFactory
from tests.test_session import start
from tests.zoom_server import ZoomServer

pytestmark = [pytest.mark.browser]
AUTHORIZED_ONLY = {"access": "login_required", "participants": [{"name": "Alice Smith"}], "ends_at_s": 1}


@pytest.fixture
def zoom(settings):
    server = ZoomServer().start()
    server.add_user("u_alice", "alice@acme.example")
    settings.ZOOM_OAUTH_URL = settings.ZOOM_API_URL = server.url
    settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET = server.client_id, server.client_secret
    yield server
    server.stop()


@pytest.fixture
def zoom_bot(transactional_db, live_server, settings, tmp_path):
    from accounts.services import organization_get_or_create

    settings.MEDIA_ROOT = tmp_path
    organization = organization_get_or_create(name="Zoom tokens")

    def make(scenario: dict, zoom_options: dict | None = None, **rules):
        meeting = sim.sim_meeting_create(organization=organization, platform="zoom", scenario=scenario)
        url = door_links(meeting, live_server.url)["meeting"]
        token, connection = bot_zoom_options(organization=organization, platform="zoom", options=zoom_options)
        bot = BotFactory(
            meeting=MeetingFactory(organization=organization, meeting_url=url, platform="zoom"),
            zoom_token_encrypted=token,
            zoom_connection=connection,
        )
        bot.settings["automatic_leave"].update(rules)
        bot.save()
        return meeting, bot

    make.organization = organization
    return make


def finished(bot):
    start(bot).join(90)
    bot.refresh_from_db()
    return bot


def test_authorized_attendees_only_refuses_the_anonymous_bot_and_takes_one_with_a_token(zoom_bot):
    _, anonymous = zoom_bot(AUTHORIZED_ONLY)
    anonymous = finished(anonymous)
    assert (anonymous.end_reason, anonymous.end_fault) == ("login_required", "host")
    assert "zoom.zak_token" in anonymous.end_message and "oauth_connection" in anonymous.end_message

    meeting, bot = zoom_bot(AUTHORIZED_ONLY, {"zak_token": "zak.given.1"})
    bot = finished(bot)
    assert (bot.status, bot.end_reason) == ("ended", "meeting_ended"), bot.end_message
    assert SimMeeting.objects.get(pk=meeting.pk).bot_auth == {"kind": "zak", "token": "zak.given.1"}


def test_a_token_fetched_from_an_oauth_connection_at_join_time(zoom_bot, zoom):
    connection = zoom_connection_create(
        organization=zoom_bot.organization, authorization_code=zoom.authorize("u_alice", "https://x.example/cb"),
        redirect_uri="https://x.example/cb",
    )  # fmt: skip
    ZoomConnection.objects.filter(pk=connection.pk).update(access_expires_at=connection.created_at)  # due a refresh
    meeting, bot = zoom_bot(AUTHORIZED_ONLY, {"oauth_connection": connection.id, "token_type": "zak"})
    bot = finished(bot)
    assert (bot.status, bot.end_reason) == ("ended", "meeting_ended"), bot.end_message
    ((kind, token),) = zoom.issued
    assert kind == "zak" and SimMeeting.objects.get(pk=meeting.pk).bot_auth == {"kind": "zak", "token": token}
    assert "POST /oauth/token refresh_token" in zoom.log and "GET /v2/users/me/token?type=zak" in zoom.log


def test_a_granted_permission_to_record_then_recording(zoom_bot):
    scenario = {"participants": [{"name": "Alice Smith"}], "recording_permission": {"policy": "grant", "after_s": 1}}
    meeting, bot = zoom_bot({**scenario, "ends_at_s": 3})
    bot = finished(bot)
    assert (bot.status, bot.end_reason) == ("ended", "meeting_ended"), bot.end_message
    assert SimMeeting.objects.get(pk=meeting.pk).bot_recording == "granted"
    changes = list(BotEvent.objects.filter(bot=bot, new_status="in_call").values_list("event", flat=True))
    assert changes == ["admitted", "recording_changed"]
    assert bot.meeting.recordings.exists()


@pytest.mark.parametrize(
    "policy, rules, words",
    [("deny", {}, "the host refused"), ("never", {"recording_permission_denied_timeout": 2}, "no answer")],
)
def test_a_refused_or_unanswered_request_to_record_ends_the_bot(zoom_bot, policy, rules, words):
    scenario = {"participants": [{"name": "Alice Smith"}], "recording_permission": {"policy": policy, "after_s": 1}}
    meeting, bot = zoom_bot(scenario, **rules)
    bot = finished(bot)
    assert (bot.status, bot.end_reason, bot.end_fault) == ("ended", "recording_permission_denied", "host")
    assert words in bot.end_message and bot.recording_state == "not_recording"
    assert not bot.meeting.recordings.exists()
    seen = SimMeeting.objects.get(pk=meeting.pk)
    assert seen.bot_state == "left" and seen.bot_recording == ("denied" if policy == "deny" else "asked")
