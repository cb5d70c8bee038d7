"""Bots run by a real Celery worker process: a worker killed with kill -9 mid-call is found by the
reaper, and a scheduled bot is dispatched by the beat task and joins."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from bots.models import Bot
from bots.tasks import dispatch_scheduled_bots, reap_stale_bots, run_bot
from config.celery import app
from tests.factories import BotFactory
from tests.test_session import events_of, status_of, wait_for, without_transcription

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker_env():
    return {}


@pytest.fixture
def worker(transactional_db, tmp_path, settings, worker_env):
    settings.MEDIA_ROOT = tmp_path
    app.control.purge()  # messages left by earlier runs would only be refused by the claim, but cost time
    db = connection.settings_dict
    env = dict(
        os.environ,
        NOTULA_ENV="test",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        NOTULA_MEDIA_ROOT=str(tmp_path),
        NOTULA_TEST_DB_NAME="",
        **worker_env,
    )
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.engine_worker"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    log.close()


def test_a_worker_killed_mid_call_leaves_a_crashed_bot_not_a_stuck_one(worker, pages, settings):
    bot = without_transcription(BotFactory(meeting_url=f"{pages}?admit=0&join=Alice@0"))
    run_bot.delay(bot.id)
    wait_for(lambda: status_of(bot) == "in_call", timeout=90)
    bot.refresh_from_db()
    assert bot.worker.endswith(f":{worker.pid}")
    os.killpg(worker.pid, signal.SIGKILL)  # the worker, its Chromium and chromedriver, at once
    worker.wait(10)
    settings.BOT_HEARTBEAT_TIMEOUT_S = 30
    reap_stale_bots()
    assert status_of(bot) == "in_call", "a heartbeat younger than the timeout is left alone"
    settings.BOT_HEARTBEAT_TIMEOUT_S = 2
    time.sleep(2.5)
    reap_stale_bots()
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("failed", "bot_crashed")
    assert "stopped answering" in bot.end_message
    assert events_of(bot)[-1] == "failed"


def test_a_scheduled_bot_is_dispatched_by_beat_and_joins(worker, pages, settings):
    join_at = timezone.now() + timedelta(seconds=3)
    bot = BotFactory(meeting_url=f"{pages}?admit=0&join=Alice@0&end=1", status="scheduled", join_at=join_at)
    without_transcription(bot)
    later = BotFactory(status="scheduled", join_at=timezone.now() + timedelta(hours=1))
    dispatch_scheduled_bots()
    assert status_of(later) == "scheduled"
    wait_for(lambda: Bot.objects.filter(pk=bot.pk, joined_at__isnull=False).exists(), timeout=90)
    bot.refresh_from_db()
    assert bot.joined_at - join_at < timedelta(seconds=60)
    wait_for(lambda: status_of(bot) == "ended", timeout=60)
    events = [e for e in events_of(bot) if e != "entered_waiting_room"]  # a lobby of 0 s may show or not
    assert events[:3] == ["dispatch", "join_started", "admitted"]

    # The same task delivered again (a broker redelivery) finds the bot ended and starts no browser.
    before = events_of(bot)
    run_bot.delay(bot.id)
    log = Path(settings.MEDIA_ROOT) / "worker.log"
    wait_for(lambda: f"Bot {bot.id} is 'ended', not queued; this run starts no browser" in log.read_text(), 30)
    assert events_of(bot) == before


@pytest.mark.parametrize("worker_env", [{"ENGINE_WORKER_POOL": "threads", "ENGINE_WORKER_CONCURRENCY": "2"}])
def test_a_threads_pool_worker_runs_two_bots_at_once_in_one_process(worker, pages, settings):
    bots = [without_transcription(BotFactory(meeting_url=f"{pages}?admit=0&join=Alice@0&end=8")) for _ in range(2)]
    for bot in bots:
        run_bot.delay(bot.id)
    wait_for(lambda: all(status_of(bot) == "in_call" for bot in bots), timeout=90)
    for bot in bots:
        bot.refresh_from_db()
        assert bot.worker.endswith(f":{worker.pid}"), "both bots run in the worker's own process"
    wait_for(lambda: all(status_of(bot) == "ended" for bot in bots), timeout=60)
    for bot in bots:
        bot.refresh_from_db()
        assert bot.end_reason == "meeting_ended"
