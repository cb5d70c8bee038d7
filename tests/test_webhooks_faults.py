"""Faults end to end: two real Celery workers on the `webhooks` queue, against the test database,
deliver to a receiver that is down, then answers 500, then answers too late, then heals."""

import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from standardwebhooks.webhooks import Webhook

from meetings.events import EventType, publish
from tests.factories import MeetingFactory, event_data
from webhooks.models import WebhookAttempt, WebhookDelivery
from webhooks.receiver import Receiver
from webhooks.services import endpoint_create

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 1.0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_workers(count: int) -> list[subprocess.Popen]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "NOTULA_ENV": "test",
        # The database pytest created for this run, so the workers see the test's rows.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "NOTULA_ALLOW_PRIVATE_URLS": "1",
        "NOTULA_WEBHOOK_TIMEOUT_S": str(TIMEOUT_S),
        "NOTULA_WEBHOOK_RETRY_BASE_S": "0.2",
        "NOTULA_WEBHOOK_RETRY_MAX_S": "1",
        "NOTULA_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "webhooks"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING"]
    # One single-process worker and one with threads: both ways of running the queue compete.
    pools = [["--pool=solo"], ["--pool=threads", "--concurrency=4"]]
    return [
        subprocess.Popen([*command, *pools[n % 2], "-n", f"faults{n}@%h"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        for n in range(count)
    ]


def _wait_ready(count: int) -> None:
    from config.celery import app

    deadline = time.time() + 60
    while time.time() < deadline:
        if len(app.control.ping(timeout=0.5) or []) >= count:
            return
    raise AssertionError("the Celery workers did not start")


def _wait_for_attempt(label: str, **lookup) -> None:
    """Each phase lasts until the workers have met it at least once, however slow the machine is."""
    deadline = time.time() + 60
    while not WebhookAttempt.objects.filter(**lookup).exists():
        assert time.time() < deadline, f"{label} phase not seen"
        time.sleep(0.2)


def _publish_round(meetings, label: str) -> None:
    for meeting in meetings:
        for n in range(3):
            publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text=f"{label} {n}"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(300)
def test_every_event_arrives_in_order_signed_through_faults(settings):
    # Only this test's tasks in the queue: other tests' wake-ups point at rows that are gone.
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("webhooks", *client.keys("notula:webhooks:*"))
    receiver = Receiver(port=_free_port(), slow_s=TIMEOUT_S + 1.0)  # not started: down
    meetings = [MeetingFactory() for _ in range(3)]
    organization = meetings[0].organization
    for meeting in meetings[1:]:
        meeting.organization = organization
        meeting.save(update_fields=["organization"])
    endpoint = endpoint_create(organization=organization, url=receiver.url)
    workers = _start_workers(2)
    try:
        _wait_ready(2)
        _publish_round(meetings, "down")
        _wait_for_attempt("down", error__startswith="connection failed")
        receiver.mode = "error"
        receiver.start()
        _publish_round(meetings, "error")
        _wait_for_attempt("500", status_code=500)
        receiver.mode = "slow"
        _publish_round(meetings, "slow")
        _wait_for_attempt("slow", error__startswith="timeout")
        receiver.mode = "ok"
        _publish_round(meetings, "healed")
        deadline = time.time() + 90
        while WebhookDelivery.objects.exclude(status="delivered").exists() and time.time() < deadline:
            time.sleep(0.3)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(10)
        receiver.stop()

    assert WebhookDelivery.objects.count() == 36
    assert not WebhookDelivery.objects.exclude(status="delivered").exists()
    errors = list(WebhookAttempt.objects.values_list("error", flat=True))
    assert any(e.startswith("connection failed") for e in errors), f"down phase not seen: {set(errors)}"
    assert "HTTP 500" in errors, "500 phase not seen"
    assert any(e.startswith("timeout") for e in errors), "slow phase not seen"

    verifier = Webhook(endpoint.secret)
    by_meeting = defaultdict(list)
    bodies_by_id = defaultdict(set)
    for item in receiver.snapshot():
        event = verifier.verify(item.body, item.headers)  # raises if a signature does not verify
        assert item.headers["webhook-id"] == event["id"]
        by_meeting[event["meeting_id"]].append(event["sequence"])
        bodies_by_id[event["id"]].add(item.body)
    for meeting in meetings:
        received = by_meeting[meeting.id]
        # An event is never sent before the previous one was delivered: the raw log never goes back.
        assert received == sorted(received), received
        assert sorted(set(received)) == list(range(1, 13))
        logged = list(meeting.events.order_by("sequence").values_list("id", flat=True))
        first_seen = list(dict.fromkeys(received))
        assert [logged[s - 1] for s in first_seen] == logged
    # Retried events arrived more than once, always with the same webhook-id and body.
    repeated = [i for i, bodies in bodies_by_id.items() if len(bodies) == 1]
    assert len(repeated) == len(bodies_by_id) == 36
    assert sum(len(v) for v in by_meeting.values()) > 36
