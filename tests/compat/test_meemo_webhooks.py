"""GL Meemo's webhooks on Notula's webhook endpoints: register, list, read, delete, the delivery log
(Meemo's webhook events), and the signed body each event is sent as."""

import base64
import hashlib
import hmac
import json

import pytest

from compat.meemo import renderer
from compat.meemo.ids import meemo_id
from meetings.events.catalogue import EventType
from tests.compat.test_meemo_api import API, MEET, create, meemo_client
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db
EVENTS = ["meeting.created", "meeting.transcription_completed"]


@pytest.fixture
def mm(db):
    return meemo_client("Meemo webhooks")


def register(client, **body):
    body = {"target_url": "https://hooks.example.com/meemo", "events": EVENTS, "organization_ids": [client.org_id]}
    return client.post(f"{API}/webhooks/", body | {}, format="json")


def test_a_webhook_is_a_meemo_format_endpoint_with_a_whsec_secret(mm):
    answer = register(mm)
    assert answer.status_code == 201, answer.content
    [hook] = answer.json()
    endpoint = WebhookEndpoint.objects.get()
    assert hook["id"] == meemo_id(endpoint.id) and endpoint.format == "meemo"
    assert endpoint.event_types == [EventType.BOT_CREATED, EventType.TRANSCRIPT_READY]
    assert (
        hook["events"] == EVENTS and hook["secret_key"] == endpoint.secret and hook["secret_key"].startswith("whsec_")
    )
    assert (hook["organization_id"], hook["is_active"], hook["failure_count"]) == (mm.org_id, True, 0)
    assert mm.get(f"{API}/webhooks/{hook['id']}/").json() == hook
    listed = mm.get(f"{API}/webhooks/").json()
    assert listed["count"] == 1 and listed["results"] == [hook]
    assert mm.delete(f"{API}/webhooks/{hook['id']}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()
    assert mm.get(f"{API}/webhooks/{hook['id']}/").status_code == 404


@pytest.mark.parametrize(
    "change, field, status",
    [
        ({"events": ["meeting.exploded"]}, "events", 400),
        ({"events": []}, "events", 400),
        ({"target_url": "ftp://hooks.example.com"}, "target_url", 400),
        ({"organization_ids": [12345]}, None, 403),
    ],
)
def test_a_bad_webhook_is_refused(mm, change, field, status):
    body = {"target_url": "https://hooks.example.com/meemo", "events": EVENTS, "organization_ids": [mm.org_id]}
    answer = mm.post(f"{API}/webhooks/", body | change, format="json")
    assert answer.status_code == status, answer.content
    if field:
        assert field in answer.json()["error"]["params"]
    assert not WebhookEndpoint.objects.exists()


def test_another_organization_s_webhook_is_not_found(mm):
    other = meemo_client("Other webhooks")
    theirs = register(other).json()[0]["id"]
    assert mm.get(f"{API}/webhooks/{theirs}/").status_code == 404
    assert mm.delete(f"{API}/webhooks/{theirs}/").status_code == 404
    assert mm.get(f"{API}/webhooks/").json()["count"] == 0


def test_the_delivery_log_lists_each_event_the_webhook_was_sent(mm):
    hook = register(mm).json()[0]
    meeting = create(mm, bot_meeting_url=MEET).json()
    log = mm.get(f"{API}/webhook-events/", {"webhook_id": hook["id"]}).json()
    assert log["count"] == 1
    [entry] = log["results"]
    assert (entry["webhook_id"], entry["event_type"], entry["status"]) == (hook["id"], "meeting.created", "pending")
    assert entry["event_uuid"].startswith("evt_") and entry["attempt_count"] == 0
    assert mm.get(f"{API}/webhook-events/{entry['id']}/").json() == entry
    assert mm.get(f"{API}/webhook-events/{entry['id'] + 1}/").status_code == 404
    assert meeting["id"] > 0


def _verify(secret: str, headers: dict, body: bytes) -> bool:
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, headers["webhook-signature"])


def test_an_event_is_sent_under_meemo_s_name_signed_the_standard_webhooks_way():
    secret = "whsec_" + base64.b64encode(b"k" * 32).decode()
    event = {
        "id": "evt_6Qm0aPzL2kX8cV1bN5eR3t",
        "type": EventType.TRANSCRIPT_READY,
        "meeting_id": "mtg_6Qm0aPzL2kX8cV1bN5eR3t",
        "created_at": "2026-11-21T14:02:11.500Z",
        "data": {"segments": 12, "language": "en"},
    }
    rendered = renderer.render(event, secret=secret, delivery_id="dlv_x", attempt=1, now=1700000000.0)
    body = json.loads(rendered.body)
    assert body["event"] == "meeting.transcription_completed" and body["event_uuid"] == event["id"]
    assert body["data"] == {"meeting_id": meemo_id(event["meeting_id"]), "total_segments": 12, "language": "en"}
    assert _verify(secret, rendered.headers, rendered.body)
    assert not _verify(secret, rendered.headers, rendered.body + b" ")
    assert [t for t in EventType.ALL if renderer.accepts(t)] == [
        t
        for t in EventType.ALL
        if t in {"bot.created", "data.deleted", "transcript.ready", "transcript.failed", "document.saved"}
    ]


@pytest.mark.parametrize(
    "event_type, data, meemo_event, carried",
    [
        (EventType.BOT_CREATED, {"meeting_url": MEET, "join_at": None}, "meeting.created", {"bot_meeting_url": MEET}),
        (EventType.TRANSCRIPT_FAILED, {"reason": "The file cannot be decoded."}, "meeting.transcription_failed",
         {"reason": "The file cannot be decoded."}),
        (EventType.DATA_DELETED, {"parts": ["recordings", "transcript"]}, "meeting.deleted",
         {"deleted": ["recordings", "transcript"]}),
        (EventType.DOCUMENT_SAVED, {"kind": "transcript"}, "meeting.summarization_completed", {}),
    ],
)  # fmt: skip
def test_each_meemo_event_names_its_meeting_by_meemo_s_id(event_type, data, meemo_event, carried):
    meeting = "mtg_6Qm0aPzL2kX8cV1bN5eR3t"
    organization_event = event_type in (EventType.BOT_CREATED, EventType.DATA_DELETED)
    event = {
        "id": "evt_1",
        "type": event_type,
        "meeting_id": None if organization_event else meeting,
        "organization_id": "org_9Jd3kL0pQ2wE5rT8yU1iO4" if organization_event else None,
        "created_at": "2026-11-21T14:02:11.500Z",
        "data": {**data, "meeting_id": meeting} if organization_event else data,
    }
    body = renderer.body_for(event)
    assert body["event"] == meemo_event and body["data"]["meeting_id"] == meemo_id(meeting)
    assert carried.items() <= body["data"].items()
    if organization_event:
        assert body["data"]["organization_id"] == meemo_id("org_9Jd3kL0pQ2wE5rT8yU1iO4")
