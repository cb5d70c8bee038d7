"""The meeting page's chat and screenshot controls, and the simulator page's chat, without a browser."""

import pytest
from django.utils import timezone

from bots.models import BotEvent, BotStatus
from bots.screenshots import screenshot_save
from meetings.chat import chat_message_record
from simulator.models import SimMeeting
from simulator.services import sim_meeting_create
from tests.factories import BotFactory, MeetingFactory

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def bot(org):
    return BotFactory(meeting=MeetingFactory(organization=org), status=BotStatus.IN_CALL, heartbeat_at=timezone.now())


def test_the_meeting_page_shows_the_chat_and_the_controls_of_a_bot_in_the_call(signed_in, bot, media):
    chat_message_record(
        meeting=bot.meeting, sender="Alice Smith", text="Hello <b>there</b>", sent_at=timezone.now(), offset_ms=0
    )
    screenshot_save(bot=bot, png=b"\x89PNG", trigger="on_demand")
    page = signed_in.get(f"/dashboard/meetings/{bot.meeting_id}/").content.decode()
    assert "Alice Smith" in page and "Hello &lt;b&gt;there&lt;/b&gt;" in page
    assert f'action="/dashboard/bots/{bot.id}/chat"' in page and f'action="/dashboard/bots/{bot.id}/screenshot"' in page
    assert f"/media/bots/{bot.id}/screenshots/" in page
    fragment = signed_in.get(f"/dashboard/meetings/{bot.meeting_id}/fragments/screenshots").content.decode()
    assert 'data-count="1"' in fragment


def test_no_controls_once_the_bot_has_left(signed_in, org):
    ended = BotFactory(meeting=MeetingFactory(organization=org), status=BotStatus.ENDED)
    page = signed_in.get(f"/dashboard/meetings/{ended.meeting_id}/").content.decode()
    assert 'id="chat-card"' in page and 'id="chat-form"' not in page


def test_writing_in_the_chat_sends_the_bot_a_command(signed_in, bot):
    sent = signed_in.post(f"/dashboard/bots/{bot.id}/chat", {"text": "Hi from the dashboard"}, **JSON)
    assert sent.status_code == 202, sent.content
    command = BotEvent.objects.get(bot=bot, event="command")
    assert (
        command.data["payload"] == {"text": "Hi from the dashboard"} and command.data["id"] == sent.json()["command_id"]
    )
    assert signed_in.post(f"/dashboard/bots/{bot.id}/screenshot", **JSON).status_code == 202
    empty = signed_in.post(f"/dashboard/bots/{bot.id}/chat", {"text": "  "}, **JSON)
    assert empty.status_code == 400 and "1 to 500" in empty.json()["error"]


def test_a_bot_not_in_the_call_says_why(signed_in, bot):
    bot.status = BotStatus.LEAVING
    bot.save(update_fields=["status"])
    refused = signed_in.post(f"/dashboard/bots/{bot.id}/chat", {"text": "Hi"}, **JSON)
    assert refused.status_code == 409 and "'leaving'" in refused.json()["error"]
    # A plain form post returns to the page with the reason.
    plain = signed_in.post(f"/dashboard/bots/{bot.id}/screenshot", {"next": f"/dashboard/meetings/{bot.meeting_id}/"})
    assert plain.status_code == 302 and plain["Location"] == f"/dashboard/meetings/{bot.meeting_id}/"
    assert not BotEvent.objects.filter(bot=bot, event="command").exists()


def test_another_organizations_bot_is_404(signed_in, other_org):
    theirs = BotFactory(meeting=MeetingFactory(organization=other_org), status=BotStatus.IN_CALL)
    assert signed_in.post(f"/dashboard/bots/{theirs.id}/chat", {"text": "Hi"}, **JSON).status_code == 404


def test_the_simulator_page_writes_in_the_chat_as_a_participant(signed_in, org):
    sim = sim_meeting_create(organization=org, platform="teams", scenario={"participants": [{"name": "Alice Smith"}]})
    page = signed_in.get(f"/dashboard/simulator/{sim.pk}/").content.decode()
    assert 'id="sim-chat-form"' in page
    response = signed_in.post(f"/dashboard/simulator/{sim.pk}/chat", {"participant": "Alice Smith", "text": "Agenda?"})
    assert response.status_code == 302
    assert SimMeeting.objects.get(pk=sim.pk).chat[-1]["text"] == "Agenda?"
    assert "Agenda?" in signed_in.get(f"/dashboard/simulator/{sim.pk}/state").content.decode()
