from datetime import timedelta

from django.utils import timezone

from bots import lifecycle, runner
from bots.models import Bot, BotEvent
from bots.reaper import bots_reap_stale, bots_requeue_unclaimed
from tests.factories import BotFactory


def test_running_bot_without_heartbeat_is_failed_as_crashed(db):
    old = timezone.now() - timedelta(seconds=200)
    stale = BotFactory(status="in_call", heartbeat_at=old, worker="w1:42")
    fresh = BotFactory(status="in_call", heartbeat_at=timezone.now())
    never = BotFactory(status="joining", heartbeat_at=None)
    Bot.objects.filter(pk=never.pk).update(updated_at=old)
    done = BotFactory(status="ended", heartbeat_at=old)
    reaped = bots_reap_stale(timeout_s=90)
    assert sorted(reaped) == sorted([stale.id, never.id])
    for bot in (stale, never):
        bot.refresh_from_db()
        assert (bot.status, bot.end_reason) == ("failed", "bot_crashed")
        assert bot.ended_at is not None
    fresh.refresh_from_db()
    done.refresh_from_db()
    assert fresh.status == "in_call" and done.status == "ended"
    assert "w1:42" in stale.end_message
    assert bots_reap_stale(timeout_s=90) == []


def test_unclaimed_queued_bot_is_requeued_once_then_failed(db, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("bots.tasks.run_bot.delay", lambda bot_id: sent.append(bot_id))
    bot = BotFactory(status="queued")
    Bot.objects.filter(pk=bot.pk).update(updated_at=timezone.now() - timedelta(seconds=400))
    young = BotFactory(status="queued")
    with django_capture_on_commit_callbacks(execute=True):
        assert bots_requeue_unclaimed(timeout_s=300) == {"requeued": [bot.id], "failed": []}
    assert sent == [bot.id]
    bot.refresh_from_db()
    assert bot.status == "queued" and BotEvent.objects.filter(bot=bot, event="requeued").exists()
    assert bots_requeue_unclaimed(timeout_s=300) == {"requeued": [], "failed": []}  # the clock restarted
    Bot.objects.filter(pk=bot.pk).update(updated_at=timezone.now() - timedelta(seconds=400))
    assert bots_requeue_unclaimed(timeout_s=300) == {"requeued": [], "failed": [bot.id]}
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("failed", "internal_error")
    young.refresh_from_db()
    assert young.status == "queued"


def test_a_redelivered_run_starts_no_browser(db, monkeypatch):
    launched = []
    monkeypatch.setattr("bots.browser.launch", lambda **kw: launched.append(kw))
    bot = BotFactory(status="in_call", worker="first:1")
    runner.run(bot.id)
    bot.refresh_from_db()
    assert launched == [] and bot.status == "in_call" and bot.worker == "first:1"
    assert not BotEvent.objects.filter(bot=bot).exists()
    runner.run("bot_missing")
    assert launched == []


def test_claim_moves_queued_to_joining_once(db):
    bot = BotFactory(status="queued")
    claimed = lifecycle.bot_claim(bot_id=bot.id, worker="w:1")
    assert claimed is not None and claimed.status == "joining" and claimed.heartbeat_at is not None
    assert lifecycle.bot_claim(bot_id=bot.id, worker="w:2") is None
    bot.refresh_from_db()
    assert bot.worker == "w:1"
    assert list(BotEvent.objects.filter(bot=bot).values_list("event", "data")) == [("join_started", {"worker": "w:1"})]


def test_crash_keeps_evidence(db):
    bot = BotFactory(status="in_call")
    lifecycle.bot_crash(bot=bot, message="RuntimeError: boom", screenshot=b"\x89PNG fake", html="<html>x</html>")
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason, bot.end_message) == ("failed", "bot_crashed", "RuntimeError: boom")
    assert bot.debug_screenshot.read() == b"\x89PNG fake"
    assert bot.debug_html.read() == b"<html>x</html>"
