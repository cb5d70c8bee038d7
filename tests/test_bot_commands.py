"""The command channel to running bots: recorded as BotEvents, carried by a Redis stream per bot, read
by the runner's inbox, refused with a 409 naming the state when no runner listens."""

import time
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bots.commands import BotNotListening, CommandInbox, bot_command_send, stream_key
from bots.models import Bot, BotEvent, BotStatus
from tests import engine_adapter
from tests.factories import BotFactory
from tests.test_session import events_of, start, status_of, wait_for


@pytest.fixture
def test_page_adapter(monkeypatch):
    monkeypatch.setattr("bots.platforms.registry.adapter_class", lambda platform: engine_adapter.Adapter)


@pytest.fixture
def streams():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    for key in client.scan_iter("notula:bot:*:commands"):
        client.delete(key)
    client.close()


@pytest.mark.parametrize("status", ["scheduled", "queued", "leaving", "post_processing", "ended", "failed"])
def test_a_bot_with_no_runner_in_a_call_refuses_commands_naming_its_state(db, streams, status):
    bot = BotFactory(status=status)
    with pytest.raises(BotNotListening) as refused:
        bot_command_send(bot=bot, kind="ping")
    assert refused.value.status_code == 409 and refused.value.extra["status"] == status
    assert f"'{status}'" in refused.value.message
    assert not BotEvent.objects.filter(bot=bot).exists() and not streams.exists(stream_key(bot.id))


def test_a_runner_not_heard_from_is_refused(db, streams):
    bot = BotFactory(status=BotStatus.IN_CALL, heartbeat_at=timezone.now() - timedelta(minutes=10))
    with pytest.raises(BotNotListening) as refused:
        bot_command_send(bot=bot, kind="ping")
    assert "has not been heard from" in refused.value.message and refused.value.extra["status"] == "in_call"


def test_a_command_is_a_bot_event_and_reaches_the_stream_after_commit(transactional_db, streams):
    bot = BotFactory(status=BotStatus.IN_CALL, heartbeat_at=timezone.now())
    with transaction.atomic():
        command = bot_command_send(bot=bot, kind="ping", payload={"note": "hello"})
        assert not streams.exists(stream_key(bot.id))  # nothing leaves before the commit
    event = BotEvent.objects.get(bot=bot)
    assert (event.event, event.old_status, event.new_status) == ("command", "in_call", "in_call")
    assert event.data == {"command": "ping", "id": command.id, "payload": {"note": "hello"}}
    [(_, fields)] = streams.xrange(stream_key(bot.id))
    assert fields[b"id"].decode() == command.id and fields[b"kind"] == b"ping"


def test_the_inbox_gets_commands_sent_before_it_listened_and_wakes_its_sleeper(transactional_db, streams):
    bot = BotFactory(status=BotStatus.JOINING, heartbeat_at=timezone.now())
    early = bot_command_send(bot=bot, kind="ping")
    inbox = CommandInbox(bot.id)
    try:
        wait_for(lambda: inbox._commands, timeout=5)
        assert [c.id for c in inbox.take()] == [early.id]
        assert inbox.take() == []
        began = time.monotonic()
        Bot.objects.filter(pk=bot.pk).update(status=BotStatus.IN_CALL)
        later = bot_command_send(bot=bot, kind="leave")
        inbox.wait(5.0)  # returns when the command arrives, not after 5 s
        assert time.monotonic() - began < 2.0
        assert [c.kind for c in inbox.take()] == ["leave"] and later.kind == "leave"
    finally:
        inbox.close()
    assert not streams.exists(stream_key(bot.id))  # the runner's stream goes with it


@pytest.mark.browser
def test_a_running_bot_acts_on_commands_from_its_stream(transactional_db, pages, settings, tmp_path, test_page_adapter):
    settings.MEDIA_ROOT = tmp_path
    bot = BotFactory(meeting_url=f"{pages}?admit=0.5&join=Alice@0.3")
    thread = start(bot)
    wait_for(lambda: status_of(bot) == "in_call", timeout=60)
    pings = [bot_command_send(bot=bot, kind="ping") for _ in range(3)]
    wait_for(lambda: BotEvent.objects.filter(bot=bot, event="command_done").count() == 3, timeout=10)
    done = {e.data["id"]: e.data for e in BotEvent.objects.filter(bot=bot, event="command_done")}
    assert set(done) == {p.id for p in pings}
    assert all(d["command"] == "ping" and d["latency_ms"] >= 0 for d in done.values())
    from bots.services import bot_request_leave

    bot_request_leave(bot=bot)
    thread.join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "left_by_request")
    assert events_of(bot)[-5:] == ["command", "command_done", "leave_started", "left", "ended"]


@pytest.mark.browser
def test_a_leave_whose_command_was_lost_is_found_by_the_heartbeat(
    transactional_db, pages, settings, tmp_path, test_page_adapter
):
    settings.MEDIA_ROOT = tmp_path
    bot = BotFactory(meeting_url=f"{pages}?admit=0.5&join=Alice@0.3")
    thread = start(bot)
    wait_for(lambda: status_of(bot) == "in_call", timeout=60)
    Bot.objects.filter(pk=bot.pk).update(leave_requested_at=timezone.now())  # as if Redis had lost the command
    thread.join(60)
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "left_by_request")
    assert "command" not in events_of(bot)
