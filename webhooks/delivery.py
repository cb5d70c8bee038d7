"""Webhook delivery: in order per (endpoint, meeting), retried with backoff, every attempt recorded.

A *stream* is the deliveries of one endpoint for one meeting (or, with meeting_id "", for its
organization's own events). One worker at a time owns a stream
through a Redis lock (any number of worker processes may run), sends its pending deliveries in
sequence order, and stops at the first failure: nothing later is sent before the failed one is
delivered or given up. When a stream's owner lets go it looks again, so a delivery created while it
was busy (whose own task found the lock taken) is never stranded. Failures schedule a task for the
retry time; the beat task `kick_due_deliveries` re-kicks anything due whose task was lost.

Delivery is at least once: a worker that dies between sending and recording sends again, with the
same `webhook-id`.
"""

import logging
import random
import secrets
import time
from datetime import datetime, timedelta

import redis
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from meetings.events import event_to_dict
from webhooks import transport
from webhooks.fanout import stream_of
from webhooks.health import endpoint_health_record
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.renderers import renderer_for
from webhooks.stream_sql import outcomes_record, pending_batch

log = logging.getLogger(__name__)

BATCH = 25
# A pending delivery this old with no retry time is one whose task was lost (beat re-kicks it).
LOST_AFTER_S = 10
MAX_ROUNDS = 100

_redis_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _redis_client
    if _redis_client is None:
        _redis_client = redis.Redis.from_url(settings.REDIS_URL)
    return _redis_client


def _key(kind: str, endpoint_id: str, meeting_id: str) -> str:
    return f"notula:webhooks:{kind}:{endpoint_id}:{meeting_id}"


def backoff_s(attempts: int) -> float:
    """Wait before retry number `attempts`: exponential, capped, with jitter so failing endpoints
    recovering at once are not hit by every worker in the same second."""
    delay = min(settings.WEBHOOK_RETRY_MAX_S, settings.WEBHOOK_RETRY_BASE_S * 2 ** max(attempts - 1, 0))
    return delay * random.uniform(0.5, 1.0)


def stream_kick(*, endpoint_id: str, meeting_id: str, force: bool = False) -> None:
    """Make sure a task will look at this stream. Publishers skip the enqueue while one is already
    queued (the marker is cleared by the task before it reads), which keeps bursts to one task."""
    from webhooks.tasks import deliver_stream

    queued = _redis().set(_key("queued", endpoint_id, meeting_id), "1", nx=True, ex=60)
    if queued or force:
        deliver_stream.delay(endpoint_id, meeting_id, None if force else time.time())


# Both scripts run atomically in Redis, which is what makes a wake-up impossible to lose: a task that
# finds the stream owned leaves a "missed" mark, and the owner's release returns that mark in the same
# step, so either the owner sees it and looks again, or the lock is already free for the late task.
_CLAIM = """
redis.call('DEL', KEYS[1])
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('DEL', KEYS[3])
  return 1
end
redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local missed = redis.call('GET', KEYS[2])
redis.call('DEL', KEYS[2])
return missed
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


_scripts: dict[str, object] = {}


def _script(source: str):
    # Registered once per process: later calls send the script's hash, not its text.
    if source not in _scripts:
        _scripts[source] = _redis().register_script(source)
    return _scripts[source]


class _StreamLock:
    """Ownership of one stream, held by one worker at a time (a token in Redis with a time limit)."""

    def __init__(self, endpoint_id: str, meeting_id: str):
        self.keys = [_key(kind, endpoint_id, meeting_id) for kind in ("queued", "lock", "missed")]
        self.token = secrets.token_hex(8)
        self.ttl_ms = int(_lock_ttl_s() * 1000)

    def claim(self) -> bool:
        """Clear the queued mark and take the stream; False (and a missed mark) if someone owns it."""
        return bool(_script(_CLAIM)(keys=self.keys, args=[self.token, self.ttl_ms]))

    def renew(self) -> bool:
        return bool(_script(_RENEW)(keys=self.keys[1:2], args=[self.token, self.ttl_ms]))

    def release(self) -> bool:
        """Let go; True if a wake-up arrived meanwhile and found the stream owned."""
        return _script(_RELEASE)(keys=self.keys[1:], args=[self.token]) is not None


def stream_run(*, endpoint_id: str, meeting_id: str, kicked_at: float | None = None) -> None:
    """Send what is due in one stream, unless another worker owns it right now.

    A task woken by a publish first waits until `WEBHOOK_GATHER_MS` after that publish: events
    published meanwhile find the queued mark and ride along, so a busy meeting costs one wake-up
    per batch instead of one per event. A task that waited in the queue longer does not wait again.
    """
    gather_s = settings.WEBHOOK_GATHER_MS / 1000
    if kicked_at is not None and gather_s > 0:
        wait = kicked_at + gather_s - time.time()
        if wait > 0:
            _wait(min(wait, gather_s))
    lock = _StreamLock(endpoint_id, meeting_id)
    for _ in range(MAX_ROUNDS):
        if not lock.claim():
            return  # the owner looks again after letting go
        try:
            retry_in = _drain(endpoint_id, meeting_id, lock)
        finally:
            missed = lock.release()
        if retry_in is not None:
            from webhooks.tasks import deliver_stream

            deliver_stream.apply_async((endpoint_id, meeting_id), countdown=retry_in)
            return
        if not missed:
            return


def _wait(seconds: float) -> None:
    time.sleep(seconds)


def _lock_ttl_s() -> float:
    # Long enough to cover two sends; renewed well before it runs out (see _drain).
    return settings.WEBHOOK_TIMEOUT_S * 3 + 30


def _drain(endpoint_id: str, meeting_id: str, lock) -> float | None:
    """Send due deliveries in order; returns seconds until a retry when one just failed, else None."""
    # Renewing the lock costs a Redis round trip: do it only once a third of its time is gone, which
    # leaves more than one whole send (at most WEBHOOK_TIMEOUT_S) before it could expire.
    renew_every = _lock_ttl_s() / 3
    renewed = time.monotonic()
    while True:
        # The endpoint comes with the batch (one query, fresh each batch: it may have been disabled).
        batch = pending_batch(endpoint_id, meeting_id, BATCH)
        if not batch or not batch[0].endpoint.active:
            return None
        endpoint = batch[0].endpoint
        render = renderer_for(endpoint.format).render
        done: list[tuple[WebhookDelivery, transport.SendResult]] = []
        retry_in = None
        stop = False
        try:
            for delivery in batch:
                now = timezone.now()
                if delivery.next_attempt_at and delivery.next_attempt_at > now:
                    stop = True  # its retry task is scheduled
                    break
                if time.monotonic() - renewed > renew_every:
                    if not lock.renew():
                        stop = True  # lost: another worker may own the stream now
                        break
                    renewed = time.monotonic()
                delivery.attempts += 1
                rendered = render(
                    event_to_dict(delivery.event),
                    secret=endpoint.secret,
                    delivery_id=delivery.id,
                    attempt=delivery.attempts,
                    now=time.time(),
                )
                result = transport.post(endpoint.url, body=rendered.body, headers=rendered.headers)
                done.append((delivery, result))
                retry_in = _settle(delivery, result, timezone.now())
                if retry_in is not None:
                    break
        finally:
            if done:
                _record(endpoint, done)
        if retry_in is not None or stop or not endpoint.active or len(batch) < BATCH:
            return retry_in


def _settle(delivery: WebhookDelivery, result: transport.SendResult, now: datetime) -> float | None:
    """Apply one attempt's outcome to the delivery; seconds until its retry if it must be retried."""
    delivery.last_status_code = result.status_code
    delivery.last_error = result.error[:500]
    if result.ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        return None
    if delivery.retry_until is None:
        delivery.retry_until = delivery.created_at + timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_S)
    if now >= delivery.retry_until:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        return None
    delivery.next_attempt_at = min(now + timedelta(seconds=backoff_s(delivery.attempts)), delivery.retry_until)
    return max((delivery.next_attempt_at - now).total_seconds(), 0.0)


_FIELDS = ["status", "attempts", "last_status_code", "last_error", "delivered_at", "next_attempt_at", "retry_until"]


def _record(endpoint: WebhookEndpoint, done: list[tuple[WebhookDelivery, transport.SendResult]]) -> None:
    # One delivered_at for the batch, so that delivered ones share one outcome (one UPDATE).
    delivered_at = max((d.delivered_at for d, _ in done if d.delivered_at), default=None)
    for delivery, _ in done:
        if delivery.delivered_at:
            delivery.delivered_at = delivered_at
    outcomes_record(done, _FIELDS)
    endpoint_health_record(endpoint, done[-1][1])


def deliveries_kick_due() -> int:
    """Kick every stream whose oldest pending delivery is due (the beat's safety net); returns how many."""
    now = timezone.now()
    pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, endpoint__active=True)
    columns = ("endpoint_id", "event__meeting_id")
    waiting = set(pending.filter(next_attempt_at__gt=now).values_list(*columns).distinct())
    due = set(
        pending.filter(
            Q(next_attempt_at__lte=now)
            | Q(next_attempt_at__isnull=True, created_at__lte=now - timedelta(seconds=LOST_AFTER_S))
        )
        .values_list(*columns)
        .distinct()
    )
    streams = due - waiting
    for endpoint_id, meeting_id in streams:
        stream_kick(endpoint_id=endpoint_id, meeting_id=stream_of(meeting_id), force=True)
    return len(streams)


def send_test(*, endpoint: WebhookEndpoint) -> tuple[dict, transport.SendResult]:
    """Send one made-up event to the endpoint now, signed like the real ones; nothing is stored."""
    from common.ids import new_id

    event = {
        "id": new_id("evt"),
        "type": "webhook.test",
        "meeting_id": endpoint.meeting_id or "mtg_test",
        "bot_id": None,
        "sequence": 0,
        "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "data": {"message": "Test event from Notula: if the signature verifies, this endpoint is ready."},
    }
    rendered = renderer_for(endpoint.format).render(
        event, secret=endpoint.secret, delivery_id=new_id("dlv"), attempt=1, now=time.time()
    )
    return event, transport.post(endpoint.url, body=rendered.body, headers=rendered.headers)
