"""The event log under concurrent publishers, and the WebSocket API on the real Redis channel layer."""

import threading

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connection

from accounts.services import api_key_create
from config.routing import websocket_urlpatterns
from meetings.events import EventType, publish
from meetings.models import Meeting, MeetingEvent
from tests.factories import MeetingFactory, event_data

app = URLRouter(websocket_urlpatterns)


def _publisher(meeting_id: str, count: int, tag: str, errors: list) -> threading.Thread:
    def run():
        try:
            meeting = Meeting.objects.get(pk=meeting_id)
            for n in range(count):
                publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text=f"{tag}{n}"))
        except Exception as exc:  # surfaced by the test
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True)
def test_sequence_is_gapless_under_concurrent_publishers():
    meeting = MeetingFactory()
    errors: list = []
    threads = [_publisher(meeting.id, 40, f"t{i}-", errors) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = list(MeetingEvent.objects.filter(meeting=meeting).values_list("sequence", flat=True))
    assert sorted(sequences) == list(range(1, 161))
    meeting.refresh_from_db()
    assert meeting.event_seq == 160
    # Every publisher's own events keep their order in the log.
    texts = list(MeetingEvent.objects.filter(meeting=meeting).order_by("sequence").values_list("payload", flat=True))
    for i in range(4):
        mine = [int(p["text"].split("-")[1]) for p in texts if p["text"].startswith(f"t{i}-")]
        assert mine == list(range(40))


async def _closed_with(path: str, headers=None) -> int:
    communicator = WebsocketCommunicator(app, path, headers=headers or [])
    connected, _ = await communicator.connect()
    assert connected
    message = await communicator.receive_output(timeout=5)
    await communicator.wait()
    assert message["type"] == "websocket.close"
    return message["code"]


@pytest.mark.django_db(transaction=True)
def test_ws_rejects_wrong_key_and_other_organization():
    meeting = MeetingFactory()
    other = MeetingFactory()
    key = api_key_create(organization=meeting.organization).key
    assert async_to_sync(_closed_with)(f"/ws/v1/meetings/{meeting.id}") == 4401
    assert async_to_sync(_closed_with)(f"/ws/v1/meetings/{meeting.id}?api_key=ntl_wrong") == 4401
    assert async_to_sync(_closed_with)(f"/ws/v1/meetings/{other.id}?api_key={key}") == 4404
    assert async_to_sync(_closed_with)("/ws/v1/meetings/mtg_nope", [(b"x-api-key", key.encode())]) == 4404


async def _collect(path: str, headers, until: int) -> list[dict]:
    communicator = WebsocketCommunicator(app, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    got = []
    while not got or got[-1]["sequence"] < until:
        got.append(await communicator.receive_json_from(timeout=20))
    await communicator.disconnect()
    return got


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("header", [b"authorization", b"x-api-key"])
def test_ws_replay_then_live_has_no_gap_and_no_duplicate_at_the_seam(header):
    meeting = MeetingFactory()
    key = api_key_create(organization=meeting.organization).key
    value = f"Bearer {key}" if header == b"authorization" else key
    for n in range(30):
        publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name=f"early {n}"))
    errors: list = []
    # Two publishers: live pushes from different threads can arrive out of order.
    threads = [_publisher(meeting.id, 60, f"p{i}-", errors) for i in range(2)]
    for thread in threads:
        thread.start()
    try:
        got = async_to_sync(_collect)(f"/ws/v1/meetings/{meeting.id}?after=10", [(header, value.encode())], 150)
    finally:
        for thread in threads:
            thread.join()
    assert errors == []
    assert [e["sequence"] for e in got] == list(range(11, 151))
    logged = {e.sequence: e.id for e in MeetingEvent.objects.filter(meeting=meeting)}
    assert all(logged[e["sequence"]] == e["id"] for e in got)
    assert set(got[0]) == {"id", "type", "meeting_id", "bot_id", "sequence", "created_at", "data"}


@pytest.mark.django_db(transaction=True)
def test_ws_live_only_with_token_query():
    meeting = MeetingFactory()
    key = api_key_create(organization=meeting.organization).key
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="before"))

    async def scenario():
        communicator = WebsocketCommunicator(app, f"/ws/v1/meetings/{meeting.id}?token={key}&after=1")
        connected, _ = await communicator.connect()
        assert connected
        assert await communicator.receive_nothing(timeout=0.3)
        from channels.db import database_sync_to_async

        await database_sync_to_async(publish)(
            meeting, EventType.PARTICIPANT_LEFT, event_data(EventType.PARTICIPANT_LEFT, name="before")
        )
        event = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return event

    event = async_to_sync(scenario)()
    assert event["sequence"] == 2 and event["type"] == "participant.left"


async def _close_code_after_sending(path: str, text: str) -> int:
    communicator = WebsocketCommunicator(app, path)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_to(text_data=text)
    while True:
        message = await communicator.receive_output(timeout=5)
        if message["type"] == "websocket.close":
            await communicator.wait()
            return message["code"]


@pytest.mark.django_db(transaction=True)
def test_ws_client_messages_are_bounded_and_json(settings):
    settings.WS_MAX_MESSAGE_BYTES = 100
    meeting = MeetingFactory()
    key = api_key_create(organization=meeting.organization).key
    path = f"/ws/v1/meetings/{meeting.id}?api_key={key}"
    assert async_to_sync(_close_code_after_sending)(path, '{"ping": "' + "x" * 100 + '"}') == 1009
    assert async_to_sync(_close_code_after_sending)(path, "not json") == 4400

    async def ping_then_event() -> dict:
        communicator = WebsocketCommunicator(app, path)
        await communicator.connect()
        await communicator.send_json_to({"ping": 1})
        await database_sync_to_async(publish)(
            meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text="still open")
        )
        event = await communicator.receive_json_from(timeout=10)
        await communicator.disconnect()
        return event

    assert async_to_sync(ping_then_event)()["data"]["text"] == "still open"
