"""Organization events: the organization's own log (gapless under concurrency), its replay, its
WebSocket stream and its webhooks, and that no other organization sees any of it."""

import threading
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connection, transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from accounts.models import Organization
from accounts.services import api_key_create
from bots.services import bot_create
from config.routing import websocket_urlpatterns
from meetings.events import EventType, publish, publish_organization_event
from meetings.models import MeetingEvent
from tests.factories import MeetingFactory, OrganizationFactory, event_data
from webhooks import delivery as delivery_module
from webhooks.delivery import deliveries_kick_due, stream_run
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.receiver import Receiver
from webhooks.services import endpoint_create

app = URLRouter(websocket_urlpatterns)


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def _sequences(organization_id: str) -> list[int]:
    return list(
        MeetingEvent.objects.filter(organization_id=organization_id)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )


def _synced(n: int) -> dict:
    return event_data(EventType.CALENDAR_SYNC_EVENTS, events=n)


@pytest.mark.django_db(transaction=True)
def test_sequences_are_gapless_per_organization_under_concurrent_publishers():
    mine, theirs = OrganizationFactory(), OrganizationFactory()
    meeting = MeetingFactory(organization=mine)
    threads_n, per_thread = 6, 12
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)

    class Undo(Exception):
        pass

    def worker(index: int):
        try:
            start.wait()
            for n in range(per_thread):
                try:
                    with transaction.atomic():
                        publish_organization_event(mine.pk, EventType.CALENDAR_SYNC_EVENTS, _synced(index * 100 + n))
                        if n % 4 == 3:
                            raise Undo  # a rolled-back publish gives its number back
                except Undo:
                    pass
                if n % 3 == 0:
                    publish_organization_event(theirs.pk, EventType.CALENDAR_SYNC_EVENTS, _synced(n))
                    # The meeting's log has its own sequence: it does not use the organization's numbers.
                    publish(meeting, EventType.SPEAKER_CHANGED, event_data(EventType.SPEAKER_CHANGED))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    kept = threads_n * (per_thread - per_thread // 4)
    assert _sequences(mine.pk) == list(range(1, kept + 1))
    assert _sequences(theirs.pk) == list(range(1, threads_n * 4 + 1))
    assert Organization.objects.get(pk=mine.pk).event_seq == kept
    assert [e.sequence for e in meeting.events.order_by("sequence")] == list(range(1, threads_n * 4 + 1))
    # Each publisher's own events keep their order in the log.
    for index in range(threads_n):
        counts = [
            e.payload["events"]
            for e in MeetingEvent.objects.filter(organization=mine).order_by("sequence")
            if e.payload["events"] // 100 == index
        ]
        assert counts == [index * 100 + n for n in range(per_thread) if n % 4 != 3]


def _create_bot(client, url: str = "https://meet.google.com/abc-defg-hij", **fields) -> dict:
    response = client.post("/api/v1/bots", {"meeting_url": url, **fields}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_bot_created_is_replayed_from_the_organization_log(api, other_api):
    first = _create_bot(api, metadata={"deal": "42"})
    second = _create_bot(api, "https://zoom.us/j/1234567890")
    _create_bot(other_api)
    body = api.get("/api/v1/events").json()
    assert body["organization_id"] == api.organization.pk and body["after"] == 0 and body["last_sequence"] == 2
    events = body["events"]
    assert [(e["sequence"], e["type"], e["bot_id"]) for e in events] == [
        (1, "bot.created", first["id"]),
        (2, "bot.created", second["id"]),
    ]
    assert events[0]["organization_id"] == api.organization.pk and events[0]["meeting_id"] is None
    assert events[0]["data"] == {
        "bot_id": first["id"],
        "meeting_id": first["meeting_id"],
        "meeting_url": "https://meet.google.com/abc-defg-hij",
        "platform": "google_meet",
        "bot_name": first["bot_name"],
        "status": "queued",
        "join_at": None,
        "project": "api",
        "metadata": {"deal": "42"},
    }
    assert [e["sequence"] for e in api.get("/api/v1/events?after=1").json()["events"]] == [2]
    assert [e["sequence"] for e in api.get("/api/v1/events?after=0&limit=1").json()["events"]] == [1]
    assert api.get("/api/v1/events?limit=0").status_code == 400
    # Not in the meeting's log: the meeting's sequence starts with its own events.
    assert not MeetingEvent.objects.filter(meeting_id=first["meeting_id"], type="bot.created").exists()
    theirs = other_api.get("/api/v1/events").json()
    assert [e["sequence"] for e in theirs["events"]] == [1]
    assert {e["bot_id"] for e in theirs["events"]}.isdisjoint({first["id"], second["id"]})


def test_a_bot_that_is_not_created_publishes_nothing(api):
    _create_bot(api, deduplication_key="deal-1")
    assert api.post("/api/v1/bots", {"meeting_url": "https://example.com/x"}, format="json").status_code == 400
    duplicate = {"meeting_url": "https://zoom.us/j/999999999", "deduplication_key": "deal-1"}
    assert api.post("/api/v1/bots", duplicate, format="json").status_code == 409
    assert api.get("/api/v1/events").json()["last_sequence"] == 1


@pytest.mark.django_db
def test_organization_events_go_to_organization_wide_endpoints_only(writer):
    organization = OrganizationFactory()
    meeting = MeetingFactory(organization=organization)
    everything = WebhookEndpoint.objects.create(organization=organization, url="https://h.example/a", secret="s")
    bots_only = WebhookEndpoint.objects.create(
        organization=organization, url="https://h.example/b", secret="s", event_types=[EventType.BOT_CREATED]
    )
    captions_only = WebhookEndpoint.objects.create(
        organization=organization, url="https://h.example/c", secret="s", event_types=[EventType.CAPTION_PARTIAL]
    )
    WebhookEndpoint.objects.create(organization=organization, meeting=meeting, url="https://h.example/d", secret="s")
    WebhookEndpoint.objects.create(organization=organization, url="https://h.example/e", secret="s", active=False)
    WebhookEndpoint.objects.create(organization=organization, url="https://h.example/f", secret="s", format="sasha")
    WebhookEndpoint.objects.create(organization=OrganizationFactory(), url="https://h.example/g", secret="s")

    created = publish_organization_event(organization.pk, EventType.BOT_CREATED, event_data(EventType.BOT_CREATED))
    synced = publish_organization_event(organization.pk, EventType.CALENDAR_SYNC_EVENTS, _synced(3))

    def endpoints(event):
        return set(WebhookDelivery.objects.filter(event=event).values_list("endpoint_id", flat=True))

    assert (created.sequence, synced.sequence) == (1, 2)
    assert endpoints(created) == {everything.id, bots_only.id}
    assert endpoints(synced) == {everything.id}
    assert not WebhookDelivery.objects.filter(endpoint=captions_only).exists()


@pytest.mark.django_db
def test_publishing_for_a_deleted_organization_writes_nothing(writer):
    organization = OrganizationFactory()
    Organization.objects.filter(pk=organization.pk).delete()
    with pytest.raises(Organization.DoesNotExist):
        publish_organization_event(organization.pk, EventType.CALENDAR_SYNC_EVENTS, _synced(1))
    assert not MeetingEvent.objects.exists()


def test_webhook_delivery_is_signed_and_in_order(api, other_api, receiver):
    endpoint = endpoint_create(organization=api.organization, url=receiver.url)
    theirs = endpoint_create(organization=other_api.organization, url=receiver.url)
    key = api_key_create(organization=api.organization)
    bot = bot_create(
        organization=api.organization,
        meeting_url="https://meet.google.com/abc-defg-hij",
        webhook_url=receiver.url,
        api_key=key.api_key,
    )
    publish_organization_event(api.organization.pk, EventType.CALENDAR_SYNC_EVENTS, _synced(5))
    own_endpoint = WebhookEndpoint.objects.get(meeting=bot.meeting)
    assert not WebhookDelivery.objects.filter(endpoint=own_endpoint).exists()
    assert not WebhookDelivery.objects.filter(endpoint=theirs).exists()

    stream_run(endpoint_id=endpoint.id, meeting_id="")
    got = receiver.snapshot()
    verified = [Webhook(endpoint.secret).verify(r.body, r.headers) for r in got]
    assert [(e["type"], e["sequence"]) for e in verified] == [("bot.created", 1), ("calendar.sync_events", 2)]
    assert verified[0]["organization_id"] == api.organization.pk and verified[0]["meeting_id"] is None
    assert verified[0]["data"]["bot_id"] == bot.id and verified[0]["bot_id"] == bot.id
    assert got[0].headers["webhook-id"] == verified[0]["id"]
    assert set(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("status", flat=True)) == {"delivered"}


def test_endpoint_disabled_is_told_to_the_other_endpoints(api, receiver, settings):
    settings.WEBHOOK_DISABLE_AFTER_S = 60
    failing_receiver = Receiver(mode="error").start()
    try:
        failing = endpoint_create(organization=api.organization, url=failing_receiver.url, description="CRM")
        healthy = endpoint_create(
            organization=api.organization, url=receiver.url, event_types=[EventType.WEBHOOK_ENDPOINT_DISABLED]
        )
        meeting = MeetingFactory(organization=api.organization)
        publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED))
        stream_run(endpoint_id=failing.id, meeting_id=meeting.id)
        since = timezone.now() - timedelta(seconds=61)
        WebhookEndpoint.objects.filter(pk=failing.pk).update(failing_since=since)
        WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        stream_run(endpoint_id=failing.id, meeting_id=meeting.id)
    finally:
        failing_receiver.stop()
    failing.refresh_from_db()
    assert failing.active is False
    (event,) = MeetingEvent.objects.filter(organization=api.organization, type="webhook.endpoint_disabled")
    assert event.payload == {
        "endpoint_id": failing.id,
        "url": failing_receiver.url,
        "meeting_id": None,
        "failing_since": since.isoformat().replace("+00:00", "Z"),
        "disabled_reason": failing.disabled_reason,
    }
    assert not WebhookDelivery.objects.filter(endpoint=failing, event=event).exists()
    stream_run(endpoint_id=healthy.id, meeting_id="")
    (got,) = receiver.snapshot()
    assert Webhook(healthy.secret).verify(got.body, got.headers)["data"]["endpoint_id"] == failing.id


def test_due_organization_streams_are_kicked_and_redelivered(api, receiver, monkeypatch):
    endpoint = endpoint_create(organization=api.organization, url=receiver.url)
    publish_organization_event(api.organization.pk, EventType.CALENDAR_SYNC_EVENTS, _synced(1))
    kicked = []
    monkeypatch.setattr(delivery_module, "stream_kick", lambda **kw: kicked.append(kw))
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert deliveries_kick_due() == 1
    assert kicked == [{"endpoint_id": endpoint.id, "meeting_id": "", "force": True}]
    monkeypatch.undo()
    stream_run(endpoint_id=endpoint.id, meeting_id="")
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == "delivered"
    response = api.post(f"/api/v1/webhooks/deliveries/{delivery.id}/redeliver")
    assert response.status_code == 202 and response.json()["meeting_id"] is None
    stream_run(endpoint_id=endpoint.id, meeting_id="")
    assert [r.json()["sequence"] for r in receiver.snapshot()] == [1, 1]


async def _closed_with(path: str, headers=None) -> int:
    communicator = WebsocketCommunicator(app, path, headers=headers or [])
    connected, _ = await communicator.connect()
    assert connected
    message = await communicator.receive_output(timeout=5)
    await communicator.wait()
    assert message["type"] == "websocket.close"
    return message["code"]


def _publisher(organization_id: str, count: int, tag: int, errors: list) -> threading.Thread:
    def run():
        try:
            for n in range(count):
                publish_organization_event(organization_id, EventType.CALENDAR_SYNC_EVENTS, _synced(tag * 1000 + n))
        except Exception as exc:  # surfaced by the test
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_ws_replays_then_goes_live_without_gap_or_duplicate():
    organization, other = OrganizationFactory(), OrganizationFactory()
    key = api_key_create(organization=organization).key
    other_key = api_key_create(organization=other).key
    for n in range(20):
        publish_organization_event(organization.pk, EventType.CALENDAR_SYNC_EVENTS, _synced(n))
    errors: list = []

    async def scenario():
        theirs = WebsocketCommunicator(app, f"/ws/v1/events?api_key={other_key}")
        assert (await theirs.connect())[0]
        mine = WebsocketCommunicator(app, "/ws/v1/events?after=5", headers=[(b"x-api-key", key.encode())])
        assert (await mine.connect())[0]
        # Two publishers while the replay runs: live pushes from two threads may arrive out of order.
        threads = [_publisher(organization.pk, 40, tag, errors) for tag in (1, 2)]
        for thread in threads:
            thread.start()
        got = []
        while not got or got[-1]["sequence"] < 100:
            got.append(await mine.receive_json_from(timeout=20))
        for thread in threads:
            await database_sync_to_async(thread.join, thread_sensitive=False)()
        nothing = await theirs.receive_nothing(timeout=0.5)
        await mine.disconnect()
        await theirs.disconnect()
        return got, nothing

    got, nothing_for_others = async_to_sync(scenario)()
    assert errors == []
    assert [e["sequence"] for e in got] == list(range(6, 101))
    logged = {e.sequence: e.id for e in MeetingEvent.objects.filter(organization=organization)}
    assert all(logged[e["sequence"]] == e["id"] for e in got)
    assert set(got[0]) == {"id", "type", "organization_id", "meeting_id", "bot_id", "sequence", "created_at", "data"}
    assert nothing_for_others


@pytest.mark.django_db(transaction=True)
def test_ws_refuses_a_missing_or_wrong_key_and_a_bad_after():
    key = api_key_create(organization=OrganizationFactory()).key
    assert async_to_sync(_closed_with)("/ws/v1/events") == 4401
    assert async_to_sync(_closed_with)("/ws/v1/events?api_key=ntl_wrong") == 4401

    async def bad_after():
        communicator = WebsocketCommunicator(app, f"/ws/v1/events?api_key={key}&after=x")
        assert (await communicator.connect())[0]
        error = await communicator.receive_json_from(timeout=5)
        closed = await communicator.receive_output(timeout=5)
        return error, closed

    error, closed = async_to_sync(bad_after)()
    assert error["error"]["code"] == "validation_error" and closed == {"type": "websocket.close", "code": 4400}
