"""The webhooks API: endpoints, their deliveries, redelivery, test events; and the admin action."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from standardwebhooks.webhooks import Webhook

from meetings.events import EventType, publish
from tests.factories import MeetingFactory, event_data
from webhooks.delivery import stream_run
from webhooks.models import WebhookDelivery
from webhooks.receiver import Receiver


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def _deliver_one(api, receiver):
    created = api.post("/api/v1/webhooks", {"url": receiver.url}, format="json").json()
    meeting = MeetingFactory(organization=api.organization)
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="Ann"))
    stream_run(endpoint_id=created["id"], meeting_id=meeting.id)
    return created, meeting


@pytest.fixture
def delivered(api, receiver):
    """An endpoint with one delivered delivery."""
    return _deliver_one(api, receiver)


def test_create_returns_secret_once(api, receiver):
    created = api.post("/api/v1/webhooks", {"url": receiver.url, "format": "sasha"}, format="json")
    assert created.status_code == 201 and created.json()["secret"].startswith("whsec_")
    shown = api.get(f"/api/v1/webhooks/{created.json()['id']}").json()
    assert "secret" not in shown and shown["format"] == "sasha"


def test_list_deliveries_with_attempts(api, receiver):
    # A receiver that takes 0.3 s to answer: the attempt's latency covers that wait, and no more than the run.
    receiver.mode, receiver.slow_s = "slow", 0.3
    started = time.monotonic()
    created, meeting = _deliver_one(api, receiver)
    elapsed_ms = (time.monotonic() - started) * 1000
    body = api.get(f"/api/v1/webhooks/{created['id']}/deliveries").json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["status"] == "delivered" and item["sequence"] == 1 and item["meeting_id"] == meeting.id
    assert item["event_type"] == "participant.joined"
    (attempt,) = item["attempt_log"]
    assert attempt["status_code"] == 200
    assert 300 <= attempt["latency_ms"] <= elapsed_ms
    assert api.get(f"/api/v1/webhooks/{created['id']}/deliveries?status=failed").json()["count"] == 0
    bad = api.get(f"/api/v1/webhooks/{created['id']}/deliveries?status=nope")
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]


def test_redeliver_keeps_webhook_id(api, delivered, receiver):
    created, meeting = delivered
    delivery = WebhookDelivery.objects.get()
    response = api.post(f"/api/v1/webhooks/deliveries/{delivery.id}/redeliver")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    stream_run(endpoint_id=created["id"], meeting_id=meeting.id)
    first, again = receiver.snapshot()
    assert first.headers["webhook-id"] == again.headers["webhook-id"] == delivery.event_id
    Webhook(created["secret"]).verify(again.body, again.headers)
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempt_log.count() == 2


def test_other_organization_sees_nothing(api, other_api, delivered):
    created, _ = delivered
    delivery = WebhookDelivery.objects.get()
    assert other_api.get(f"/api/v1/webhooks/{created['id']}/deliveries").status_code == 404
    assert other_api.post(f"/api/v1/webhooks/deliveries/{delivery.id}/redeliver").status_code == 404
    assert other_api.post(f"/api/v1/webhooks/{created['id']}/test").status_code == 404


def test_send_test_event(api, receiver):
    created = api.post("/api/v1/webhooks", {"url": receiver.url}, format="json").json()
    response = api.post(f"/api/v1/webhooks/{created['id']}/test")
    assert response.status_code == 200
    body = response.json()
    assert body["delivered"] is True and body["status_code"] == 200
    (got,) = receiver.snapshot()
    assert Webhook(created["secret"]).verify(got.body, got.headers)["type"] == "webhook.test"
    receiver.mode = "error"
    failed = api.post(f"/api/v1/webhooks/{created['id']}/test").json()
    assert failed["delivered"] is False and failed["status_code"] == 500 and failed["error"] == "HTTP 500"


def test_admin_redeliver_action(api, delivered, receiver):
    created, meeting = delivered
    delivery = WebhookDelivery.objects.get()
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456")
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/webhooks/webhookdelivery/",
        {"action": "redeliver", "_selected_action": [delivery.id]},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    stream_run(endpoint_id=created["id"], meeting_id=meeting.id)
    assert len(receiver.snapshot()) == 2
    page = client.get(f"/admin/webhooks/webhookdelivery/{delivery.id}/change/")
    assert page.status_code == 200 and b"received" in page.content


def test_bot_webhook_url_is_signed_with_the_keys_signing_secret(api, receiver):
    from bots.models import Bot
    from bots.states import bot_apply_event

    created = api.post(
        "/api/v1/bots", {"meeting_url": "https://meet.google.com/abc-defg-hij", "webhook_url": receiver.url}
    )
    assert created.status_code == 201, created.content
    bot = Bot.objects.get(pk=created.json()["id"])
    bot_apply_event(bot, "join_started")
    bot_apply_event(bot, "entered_waiting_room")
    endpoint = bot.meeting.webhook_endpoints.get()
    stream_run(endpoint_id=endpoint.id, meeting_id=bot.meeting_id)
    verifier = Webhook(api.issued.signing_secret)
    events = [verifier.verify(r.body, r.headers) for r in receiver.snapshot()]
    assert [e["data"]["new_status"] for e in events] == ["joining", "waiting_room"]
    assert [e["sequence"] for e in events] == [1, 2] and {e["bot_id"] for e in events} == {bot.id}


@pytest.mark.parametrize("fmt", ["native", "sasha"])
def test_a_test_event_reaches_an_endpoint_of_every_format(api, receiver, fmt):
    # The test event names no stored meeting: a format that shows the meeting's id must still render it.
    created = api.post("/api/v1/webhooks", {"url": receiver.url, "format": fmt}, format="json").json()
    response = api.post(f"/api/v1/webhooks/{created['id']}/test")
    assert response.status_code == 200, response.content
    assert response.json()["delivered"] is True
    (got,) = receiver.snapshot()
    assert got.body
