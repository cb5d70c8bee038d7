"""Delivery in one process against a local receiver: order, retries, give-up, disable, SSRF, no redirects."""

import socket
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from meetings.events import EventType, publish
from tests.factories import MeetingFactory, event_data
from webhooks import delivery as delivery_module
from webhooks import transport
from webhooks.delivery import deliveries_kick_due, stream_run
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.receiver import Receiver
from webhooks.services import endpoint_create, endpoint_update


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.WEBHOOK_TIMEOUT_S = 1.0
    settings.WEBHOOK_RETRY_BASE_S = 0.01
    settings.WEBHOOK_RETRY_MAX_S = 0.02
    transport._resolved.clear()


@pytest.fixture
def meeting(db):
    return MeetingFactory()


def _endpoint(meeting, url, **fields) -> WebhookEndpoint:
    return endpoint_create(organization=meeting.organization, url=url, **fields)


def _run(endpoint, meeting):
    stream_run(endpoint_id=endpoint.id, meeting_id=meeting.id)


def _make_due():
    WebhookDelivery.objects.filter(status="pending").update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_delivers_in_order_signed(meeting, receiver):
    endpoint = _endpoint(meeting, receiver.url)
    for n in range(30):
        publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text=f"line {n}"))
    _run(endpoint, meeting)
    got = receiver.snapshot()
    assert [Webhook(endpoint.secret).verify(r.body, r.headers)["sequence"] for r in got] == list(range(1, 31))
    assert WebhookDelivery.objects.filter(status="delivered").count() == 30
    attempt = WebhookDelivery.objects.first().attempt_log.get()
    assert attempt.status_code == 200 and attempt.response_excerpt == '{"received":true}'


def test_event_type_filter(meeting, receiver):
    endpoint = _endpoint(meeting, receiver.url, event_types=[EventType.PARTICIPANT_JOINED])
    publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text="x"))
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="Bob"))
    _run(endpoint, meeting)
    assert [r.json()["type"] for r in receiver.snapshot()] == ["participant.joined"]


def test_failure_blocks_later_events_until_retry_succeeds(meeting, receiver):
    endpoint = _endpoint(meeting, receiver.url)
    receiver.mode = "error"
    for n in range(3):
        publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name=f"P{n}"))
    _run(endpoint, meeting)
    # Only the first was tried: the others wait behind it.
    assert [r.json()["sequence"] for r in receiver.snapshot()] == [1]
    first = WebhookDelivery.objects.get(event__sequence=1)
    assert first.status == "pending" and first.attempts == 1 and first.last_status_code == 500
    assert first.next_attempt_at is not None and first.retry_until is not None
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).failing_since is not None
    receiver.mode = "ok"
    _make_due()
    _run(endpoint, meeting)
    sequences = [r.json()["sequence"] for r in receiver.snapshot()]
    assert sequences == [1, 1, 2, 3]
    ids = [r.headers["webhook-id"] for r in receiver.snapshot()]
    assert ids[0] == ids[1]
    assert list(first.attempt_log.values_list("status_code", flat=True)) == [500, 200]
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).failing_since is None


def test_gives_up_after_retry_window_and_moves_on(meeting, receiver, settings):
    settings.WEBHOOK_RETRY_WINDOW_S = 0
    endpoint = _endpoint(meeting, receiver.url)
    receiver.mode = "error"
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="A"))
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="B"))
    _run(endpoint, meeting)
    assert list(WebhookDelivery.objects.order_by("event__sequence").values_list("status", flat=True)) == [
        "failed",
        "failed",
    ]
    assert [r.json()["sequence"] for r in receiver.snapshot()] == [1, 2]


def test_endpoint_failing_too_long_is_disabled_with_reason(meeting, receiver, settings):
    settings.WEBHOOK_DISABLE_AFTER_S = 60
    endpoint = _endpoint(meeting, receiver.url)
    receiver.mode = "error"
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="A"))
    _run(endpoint, meeting)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(seconds=61))
    _make_due()
    _run(endpoint, meeting)
    endpoint.refresh_from_db()
    assert endpoint.active is False
    assert "failing since" in endpoint.disabled_reason and "HTTP 500" in endpoint.disabled_reason
    # Disabled: nothing more is sent, new events get no delivery.
    before = len(receiver.snapshot())
    _make_due()
    _run(endpoint, meeting)
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="B"))
    assert len(receiver.snapshot()) == before and WebhookDelivery.objects.count() == 1
    # Turned back on: the reason is cleared and the pending delivery goes out.
    receiver.mode = "ok"
    endpoint_update(endpoint=endpoint, active=True)
    assert endpoint.disabled_reason == "" and endpoint.failing_since is None
    _run(endpoint, meeting)
    assert WebhookDelivery.objects.get().status == "delivered"


def test_redirect_is_not_followed(meeting, receiver):
    endpoint = _endpoint(meeting, receiver.url)
    receiver.mode = "redirect"
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="A"))
    _run(endpoint, meeting)
    assert [r.path for r in receiver.snapshot()] == ["/hook"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status_code == 302


def test_timeout_is_an_attempt_error(meeting, receiver, settings):
    settings.WEBHOOK_TIMEOUT_S = 0.3
    receiver.mode = "slow"
    receiver.slow_s = 1.0
    endpoint = _endpoint(meeting, receiver.url)
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="A"))
    _run(endpoint, meeting)
    attempt = WebhookDelivery.objects.get().attempt_log.get()
    assert attempt.status_code is None and attempt.error.startswith("timeout")


@pytest.fixture
def no_connections(monkeypatch):
    """Fails the test if anything opens a TCP connection."""
    tried = []

    def refuse(*args, **kwargs):
        tried.append(args)
        raise AssertionError(f"connection attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr("urllib3.util.connection.create_connection", refuse)
    return tried


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/hook",
        "http://localhost:{port}/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/x",
    ],
)
def test_ssrf_refused_before_connecting(meeting, receiver, settings, no_connections, url):
    settings.ALLOW_METADATA_URLS = True  # so that every one of them can be registered, as in development
    endpoint = _endpoint(meeting, url.format(port=receiver.port))
    settings.ALLOW_PRIVATE_URLS = settings.ALLOW_METADATA_URLS = False
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="A"))
    _run(endpoint, meeting)
    attempt = WebhookDelivery.objects.get().attempt_log.get()
    assert attempt.status_code is None and attempt.error.startswith("refused:")
    assert no_connections == [] and receiver.snapshot() == []


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://10.0.0.8/x", "http://169.254.169.254/latest"])
def test_ssrf_refused_when_registering(api, settings, url):
    settings.ALLOW_PRIVATE_URLS = False
    response = api.post("/api/v1/webhooks", {"url": url}, format="json")
    assert response.status_code == 400 and "url" in response.json()["error"]["fields"]


def test_beat_kicks_only_due_heads(meeting, receiver, monkeypatch):
    endpoint = _endpoint(meeting, receiver.url)
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="A"))
    kicked = []
    monkeypatch.setattr(delivery_module, "stream_kick", lambda **kw: kicked.append(kw))
    assert deliveries_kick_due() == 0  # fresh: its own task is on the way
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert deliveries_kick_due() == 1
    assert kicked == [{"endpoint_id": endpoint.id, "meeting_id": meeting.id, "force": True}]
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=1))
    assert deliveries_kick_due() == 0  # its head waits for a scheduled retry
    assert len(kicked) == 1


def test_sasha_endpoint_receives_only_sasha_types(meeting, receiver):
    endpoint = _endpoint(meeting, receiver.url, format="sasha")
    publish(meeting, EventType.RECORDING_READY, event_data(EventType.RECORDING_READY, url="x"))
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="Bob"))
    _run(endpoint, meeting)
    (got,) = receiver.snapshot()
    assert got.json()["type"] == "participant_joined" and got.json()["payload"]["name"] == "Bob"
    assert got.headers["x-sasha-event"] == "participant_joined"


def test_wake_up_while_the_stream_is_owned_is_not_lost(meeting, receiver, monkeypatch):
    """An event published while a worker owns its stream: that event's own task finds the stream taken
    and leaves; the owner, on letting go, sees the missed wake-up and sends the event too."""
    endpoint = _endpoint(meeting, receiver.url)
    publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text="first"))
    real_post, late_task_ran = transport.post, []

    def post_and_publish_meanwhile(url, **kwargs):
        result = real_post(url, **kwargs)
        if not late_task_ran:
            publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text="second"))
            _run(endpoint, meeting)  # the second event's task, while the first still owns the stream
            late_task_ran.append(len(receiver.snapshot()))
        return result

    monkeypatch.setattr(transport, "post", post_and_publish_meanwhile)
    _run(endpoint, meeting)
    assert late_task_ran == [1], "the late task sent nothing: the stream was owned"
    assert [r.json()["data"]["text"] for r in receiver.snapshot()] == ["first", "second"]
    assert not WebhookDelivery.objects.filter(status="pending").exists()


def test_a_woken_task_waits_the_gather_window_but_a_forced_one_does_not(meeting, receiver, settings, monkeypatch):
    settings.WEBHOOK_GATHER_MS = 200
    endpoint = _endpoint(meeting, receiver.url)
    publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text="x"))
    slept = []
    monkeypatch.setattr(delivery_module, "_wait", slept.append)
    stream_run(endpoint_id=endpoint.id, meeting_id=meeting.id, kicked_at=None)
    assert slept == [] and len(receiver.snapshot()) == 1
    publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text="y"))
    stream_run(endpoint_id=endpoint.id, meeting_id=meeting.id, kicked_at=time.time())
    assert len(slept) == 1 and 0.1 < slept[0] <= 0.2
    assert len(receiver.snapshot()) == 2
    # A task that already waited in the queue longer than the window goes at once.
    publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text="z"))
    stream_run(endpoint_id=endpoint.id, meeting_id=meeting.id, kicked_at=time.time() - 1)
    assert len(slept) == 1 and len(receiver.snapshot()) == 3
