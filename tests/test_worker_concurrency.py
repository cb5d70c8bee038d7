"""NOTULA_BOTS_PER_WORKER holds for a bots worker however it is started, as the README shows it."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _concurrency(*args: str, bots_per_worker: str = "5") -> int:
    """Start `celery -A config worker <args>` just long enough to print its banner; read its concurrency."""
    env = dict(os.environ, NOTULA_ENV="test", NOTULA_BOTS_PER_WORKER=bots_per_worker, NOTULA_TEST_DB_NAME="")
    # A broker nobody listens on: the banner comes before the connection, and no queued bot is taken.
    env["CELERY_BROKER_URL"] = "redis://127.0.0.1:9/0"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", *args, "-P", "threads"]
    command += ["--without-mingle", "--without-gossip", "--without-heartbeat", "-n", f"concurrency-{os.getpid()}@%h"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in process.stdout:
            match = re.search(r"concurrency: (\d+)", line)
            if match:
                return int(match.group(1))
        raise AssertionError("the worker printed no banner")
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_bots_worker_started_by_hand_runs_bots_per_worker():
    assert _concurrency("-Q", "bots,default") == 5


def test_an_explicit_concurrency_wins():
    assert _concurrency("-Q", "bots", "-c", "2") == 2


def test_other_workers_keep_celerys_default():
    assert _concurrency("-Q", "default,webhooks,asr", bots_per_worker="7") != 7


def test_a_bots_worker_fetches_a_bot_only_when_it_has_room():
    """Without prefetch a worker busy with its calls leaves the next bot in the queue for an idle
    worker elsewhere (tests/test_multi_host.py shows the spread); other workers keep prefetching."""
    from types import SimpleNamespace

    from config.celery import _bots_per_worker

    bots = SimpleNamespace(worker_concurrency=None, worker_disable_prefetch=False)
    _bots_per_worker(conf=bots, options={"queues": "bots", "concurrency": 2})
    assert bots.worker_disable_prefetch is True and bots.worker_concurrency is None
    other = SimpleNamespace(worker_concurrency=None, worker_disable_prefetch=False)
    _bots_per_worker(conf=other, options={"queues": ["default", "webhooks"]})
    assert other.worker_disable_prefetch is False
