"""The native webhook format, checked by verifiers that share no code with the signer (the Sasha
dialect's callbacks: tests/compat/test_sasha_callbacks.py)."""

import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from meetings.events import EventType, event_to_dict, publish
from tests.factories import MeetingFactory, event_data
from webhooks.renderers import native
from webhooks.services import endpoint_secret


@pytest.fixture
def event(db):
    meeting = MeetingFactory()
    return event_to_dict(
        publish(
            meeting,
            EventType.SEGMENT_FINALIZED,
            event_data(EventType.SEGMENT_FINALIZED, speaker="Alice", text="Hello, world"),
            bot_id="bot_x",
        )
    )


def test_native_verifies_with_standardwebhooks(event):
    secret = endpoint_secret()
    rendered = native.render(event, secret=secret, delivery_id="dlv_1", attempt=1, now=time.time())
    verified = Webhook(secret).verify(rendered.body, rendered.headers)
    assert verified == {
        "id": event["id"],
        "type": "segment.finalized",
        "meeting_id": event["meeting_id"],
        "bot_id": "bot_x",
        "sequence": 1,
        "created_at": event["created_at"],
        "data": event_data(EventType.SEGMENT_FINALIZED, speaker="Alice", text="Hello, world"),
    }
    assert rendered.headers["webhook-id"] == event["id"]


def test_native_tampered_body_or_wrong_secret_fails(event):
    secret = endpoint_secret()
    rendered = native.render(event, secret=secret, delivery_id="dlv_1", attempt=1, now=time.time())
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(rendered.body.replace(b"Hello", b"Jello"), rendered.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint_secret()).verify(rendered.body, rendered.headers)


def test_native_webhook_id_is_stable_across_attempts(event):
    secret = endpoint_secret()
    first = native.render(event, secret=secret, delivery_id="dlv_1", attempt=1, now=time.time())
    later = native.render(event, secret=secret, delivery_id="dlv_1", attempt=7, now=time.time() + 60)
    assert first.headers["webhook-id"] == later.headers["webhook-id"] == event["id"]
    assert first.headers["webhook-timestamp"] != later.headers["webhook-timestamp"]
    Webhook(secret).verify(later.body, later.headers)


def test_api_key_signing_secret_is_a_standard_webhooks_secret(api):
    secret = api.issued.signing_secret
    assert secret.startswith("whsec_")
    rendered = native.render(
        {"id": "evt_1", "type": "x", "meeting_id": "m", "bot_id": None, "sequence": 1, "created_at": "", "data": {}},
        secret=secret,
        delivery_id="d",
        attempt=1,
        now=time.time(),
    )
    Webhook(secret).verify(rendered.body, rendered.headers)
