"""The dashboard's WebSockets, through the real ASGI application, session cookie and Redis channel layer."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from bots.models import BotStatus
from bots.states import bot_apply_event
from config.asgi import application
from dashboard.consumers import drop_superseded_partials
from meetings.events import EventType, publish
from tests.dashboard.conftest import make_user
from tests.factories import BotFactory, event_data

pytestmark = pytest.mark.django_db(transaction=True)


def _headers(client=None, origin: bytes = b"http://testserver"):
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if client is not None:
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


def _connect(path: str, headers):
    async def run():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    return async_to_sync(run)()


@pytest.fixture
def session_client(client, org):
    client.force_login(make_user("alice", org))
    return client


def test_meeting_stream_replays_the_log_then_goes_live(session_client, org):
    bot = BotFactory(meeting__organization=org, status=BotStatus.IN_CALL)
    meeting = bot.meeting
    publish(
        meeting,
        EventType.PARTICIPANT_JOINED,
        event_data(EventType.PARTICIPANT_JOINED, participant_id="p1", name="Alice"),
    )
    publish(
        meeting,
        EventType.CAPTION_PARTIAL,
        event_data(EventType.CAPTION_PARTIAL, utterance_id="u1", participant_id="p1", speaker="Alice", text="Good"),
    )
    publish(
        meeting,
        EventType.SEGMENT_FINALIZED,
        event_data(
            EventType.SEGMENT_FINALIZED,
            id="seg_1",
            utterance_id="u1",
            participant_id="p1",
            speaker="Alice",
            text="Good day.",
        ),
    )
    publish(
        meeting,
        EventType.CAPTION_PARTIAL,
        event_data(EventType.CAPTION_PARTIAL, utterance_id="u2", participant_id="p1", speaker="Alice", text="How are"),
    )

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/dashboard/meetings/{meeting.id}?after=1", headers=_headers(session_client)
        )
        connected, _ = await communicator.connect()
        assert connected
        replay = await communicator.receive_json_from(timeout=5)
        done = await communicator.receive_json_from(timeout=5)
        # The first partial was finalized before the page opened: the replay leaves it out.
        assert replay["type"] == "replay"
        assert [(e["sequence"], e["type"]) for e in replay["events"]] == [
            (3, "segment.finalized"),
            (4, "caption.partial"),
        ]
        assert replay["events"][1]["data"]["text"] == "How are"
        assert done == {"type": "replay_done", "sequence": 4}
        await database_sync_to_async(bot_apply_event)(bot, "leave_started", end_reason="left_by_request")
        live = await communicator.receive_json_from(timeout=5)
        assert live["type"] == "bot.status_changed" and live["sequence"] == 5
        assert live["data"]["new_status"] == "leaving"
        await communicator.disconnect()

    async_to_sync(run)()


def test_org_stream_carries_only_status_changes_of_the_current_organization(session_client, org, other_org):
    mine = BotFactory(meeting__organization=org, status=BotStatus.QUEUED)
    theirs = BotFactory(meeting__organization=other_org, status=BotStatus.QUEUED)

    async def run():
        communicator = WebsocketCommunicator(application, "/ws/dashboard/org", headers=_headers(session_client))
        connected, _ = await communicator.connect()
        assert connected
        noise = event_data(EventType.CAPTION_PARTIAL, text="noise")
        await database_sync_to_async(publish)(mine.meeting, EventType.CAPTION_PARTIAL, noise)
        await database_sync_to_async(bot_apply_event)(theirs, "join_started")
        await database_sync_to_async(bot_apply_event)(mine, "join_started")
        event = await communicator.receive_json_from(timeout=5)
        assert event["bot_id"] == mine.id and event["data"]["new_status"] == "joining"
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()

    async_to_sync(run)()


def test_anonymous_and_foreign_connections_are_refused(session_client, org, other_org):
    theirs = BotFactory(meeting__organization=other_org)
    assert _connect("/ws/dashboard/org", _headers()) == (False, 4401)
    assert _connect(f"/ws/dashboard/meetings/{theirs.meeting_id}", _headers()) == (False, 4401)
    assert _connect(f"/ws/dashboard/meetings/{theirs.meeting_id}", _headers(session_client)) == (False, 4404)
    assert _connect("/ws/dashboard/meetings/mtg_missing", _headers(session_client)) == (False, 4404)


def test_a_cross_site_page_cannot_use_the_session(session_client, org):
    mine = BotFactory(meeting__organization=org)
    assert _connect(f"/ws/dashboard/meetings/{mine.meeting_id}", _headers(session_client))[0] is True
    evil = _headers(session_client, origin=b"http://evil.example")
    assert _connect(f"/ws/dashboard/meetings/{mine.meeting_id}", evil)[0] is False
    assert _connect("/ws/dashboard/org", evil)[0] is False


def test_drop_superseded_partials_keeps_the_newest_per_speaker():
    def ev(seq, type, who, text):
        return {"sequence": seq, "type": type, "data": {"participant_id": who, "text": text}}

    events = [
        ev(1, "caption.partial", "a", "he"),
        ev(2, "caption.partial", "b", "yo"),
        ev(3, "caption.partial", "a", "hello"),
        ev(4, "segment.finalized", "a", "Hello."),
        ev(5, "caption.partial", "b", "you there"),
        ev(6, "participant.left", "c", ""),
    ]
    assert [e["sequence"] for e in drop_superseded_partials(events)] == [4, 5, 6]


def test_a_long_log_is_replayed_in_batches_without_gaps(session_client, org):
    from meetings.models import Meeting, MeetingEvent

    meeting = BotFactory(meeting__organization=org, status=BotStatus.IN_CALL).meeting
    total = 1005
    MeetingEvent.objects.bulk_create(
        MeetingEvent(meeting=meeting, sequence=n, type="segment.finalized", payload={"id": f"s{n}", "text": str(n)})
        for n in range(1, total + 1)
    )
    Meeting.objects.filter(pk=meeting.pk).update(event_seq=total)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/dashboard/meetings/{meeting.id}?after=0", headers=_headers(session_client)
        )
        assert (await communicator.connect())[0]
        first = await communicator.receive_json_from(timeout=5)
        second = await communicator.receive_json_from(timeout=5)
        done = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return first, second, done

    first, second, done = async_to_sync(run)()
    sequences = [e["sequence"] for e in first["events"] + second["events"]]
    assert len(first["events"]) == 1000 and sequences == list(range(1, total + 1))
    assert done == {"type": "replay_done", "sequence": total}
