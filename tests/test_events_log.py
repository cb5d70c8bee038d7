"""meetings.events.publish: gapless, unique sequences per meeting, under concurrency and rollbacks."""

import asyncio
import re
import threading

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction

from meetings.events import EventType, meeting_group, organization_group, publish, push, pushes_flush
from meetings.models import Meeting, MeetingEvent
from tests.factories import MeetingFactory, event_data
from webhooks.models import WebhookDelivery, WebhookEndpoint


def _sequences(meeting) -> list[int]:
    return list(MeetingEvent.objects.filter(meeting=meeting).order_by("sequence").values_list("sequence", flat=True))


@pytest.mark.django_db
def test_sequences_start_at_one_and_increase_by_one():
    meeting = MeetingFactory()
    other = MeetingFactory(organization=meeting.organization)
    events = [
        publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, offset_ms=n))
        for n in range(5)
    ]
    publish(other, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED))
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert _sequences(other) == [1]
    meeting.refresh_from_db()
    assert meeting.event_seq == 5
    logged = MeetingEvent.objects.filter(meeting=meeting).order_by("sequence")
    assert [e.payload["offset_ms"] for e in logged] == list(range(5))


@pytest.mark.django_db
def test_a_rolled_back_publish_leaves_no_gap():
    meeting = MeetingFactory()
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, offset_ms=1))

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with transaction.atomic():
            publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="rolled back"))
            raise Boom
    meeting.refresh_from_db()
    assert meeting.event_seq == 1
    event = publish(meeting, EventType.PARTICIPANT_LEFT, event_data(EventType.PARTICIPANT_LEFT, offset_ms=2))
    assert event.sequence == 2
    assert _sequences(meeting) == [1, 2]
    assert not MeetingEvent.objects.filter(payload__name="rolled back").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishers_get_unique_gapless_sequences():
    meeting, other = MeetingFactory(), MeetingFactory()
    threads_n, per_thread = 8, 15
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)

    def worker(index: int):
        try:
            start.wait()
            target = Meeting.objects.get(pk=meeting.pk)
            side = Meeting.objects.get(pk=other.pk)
            for n in range(per_thread):
                publish(
                    target,
                    EventType.SPEAKER_CHANGED,
                    event_data(EventType.SPEAKER_CHANGED, name=f"thread {index}", offset_ms=n),
                )
                if n % 5 == 0:
                    publish(
                        side,
                        EventType.SPEAKER_CHANGED,
                        event_data(EventType.SPEAKER_CHANGED, name=f"thread {index}", offset_ms=n),
                    )
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
    total = threads_n * per_thread
    assert _sequences(meeting) == list(range(1, total + 1))
    assert _sequences(other) == list(range(1, threads_n * 3 + 1))
    meeting.refresh_from_db()
    assert meeting.event_seq == total
    # Each thread's own events keep the order it published them in.
    for index in range(threads_n):
        mine = MeetingEvent.objects.filter(meeting=meeting, payload__name=f"thread {index}").order_by("sequence")
        assert [e.payload["offset_ms"] for e in mine] == list(range(per_thread))


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishers_with_rollbacks_leave_no_gap():
    meeting = MeetingFactory()
    threads_n, per_thread = 6, 10
    errors: list[BaseException] = []
    start = threading.Barrier(threads_n)

    class Undo(Exception):
        pass

    def worker(index: int):
        try:
            start.wait()
            target = Meeting.objects.get(pk=meeting.pk)
            for n in range(per_thread):
                try:
                    with transaction.atomic():
                        publish(
                            target,
                            EventType.CAPTION_PARTIAL,
                            event_data(EventType.CAPTION_PARTIAL, utterance_id=f"thread {index}", start_ms=n),
                        )
                        if n % 3 == 1:
                            raise Undo
                except Undo:
                    pass
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    kept = threads_n * len([n for n in range(per_thread) if n % 3 != 1])
    assert _sequences(meeting) == list(range(1, kept + 1))
    assert not MeetingEvent.objects.filter(meeting=meeting, payload__start_ms__in=[1, 4, 7]).exists()


@pytest.mark.django_db
def test_publish_writes_deliveries_for_subscribed_endpoints_only(writer):
    meeting = MeetingFactory()
    org = meeting.organization
    all_events = WebhookEndpoint.objects.create(organization=org, url="https://hooks.example/a", secret="s")
    only_joins = WebhookEndpoint.objects.create(
        organization=org, url="https://hooks.example/b", secret="s", event_types=[EventType.PARTICIPANT_JOINED]
    )
    WebhookEndpoint.objects.create(organization=org, url="https://hooks.example/c", secret="s", active=False)
    this_meeting = WebhookEndpoint.objects.create(
        organization=org, meeting=meeting, url="https://hooks.example/d", secret="s"
    )
    WebhookEndpoint.objects.create(
        organization=org, meeting=MeetingFactory(organization=org), url="https://hooks.example/e", secret="s"
    )
    WebhookEndpoint.objects.create(organization=MeetingFactory().organization, url="https://hooks.example/f")
    # The sasha format has no word for transcript.ready: it never receives one.
    sasha = WebhookEndpoint.objects.create(organization=org, url="https://hooks.example/g", secret="s", format="sasha")

    left = publish(meeting, EventType.PARTICIPANT_LEFT, event_data(EventType.PARTICIPANT_LEFT))
    joined = publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED))
    ready = publish(meeting, EventType.TRANSCRIPT_READY, event_data(EventType.TRANSCRIPT_READY))

    def endpoints(event):
        return set(WebhookDelivery.objects.filter(event=event).values_list("endpoint_id", flat=True))

    assert endpoints(left) == {all_events.id, this_meeting.id, sasha.id}
    assert endpoints(joined) == {all_events.id, only_joins.id, this_meeting.id, sasha.id}
    assert endpoints(ready) == {all_events.id, this_meeting.id}
    deliveries = WebhookDelivery.objects.all()
    assert {d.status for d in deliveries} == {"pending"}
    assert {d.created_at for d in deliveries if d.event_id == left.id} == {left.created_at}
    ids = [d.id for d in deliveries]
    assert len(set(ids)) == len(ids) == 9
    assert all(re.fullmatch(r"dlv_[A-Za-z0-9]{22}", i) for i in ids)


@pytest.mark.django_db
def test_publish_to_a_deleted_meeting_writes_nothing(writer):
    meeting = MeetingFactory()
    WebhookEndpoint.objects.create(organization=meeting.organization, url="https://hooks.example/a", secret="s")
    Meeting.objects.filter(pk=meeting.pk).delete()
    with pytest.raises(Meeting.DoesNotExist):
        publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED))
    assert not MeetingEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_a_rolled_back_publish_leaves_no_delivery():
    meeting = MeetingFactory()
    WebhookEndpoint.objects.create(organization=meeting.organization, url="https://hooks.example/a", secret="s")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED))
            raise RuntimeError
    assert not WebhookDelivery.objects.exists()


async def _receive_many(layer, channel, count):
    # One event loop for all: the Redis layer buffers a process's channels per loop.
    return [await layer.receive(channel) for _ in range(count)]


async def _receive_then_nothing(layer, channel):
    """The next message, and what arrives within half a second after it (None: nothing)."""
    first = await layer.receive(channel)
    try:
        return first, await asyncio.wait_for(layer.receive(channel), 0.5)
    except TimeoutError:
        return first, None


@pytest.mark.django_db
def test_published_event_reaches_the_channel_groups_after_commit(django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    org_channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(meeting_group(meeting.id), channel)
    async_to_sync(layer.group_add)(organization_group(meeting.organization_id), org_channel)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            segment = publish(
                meeting, EventType.SEGMENT_FINALIZED, event_data(EventType.SEGMENT_FINALIZED, text="hello")
            )
            status = publish(
                meeting,
                EventType.BOT_STATUS_CHANGED,
                event_data(EventType.BOT_STATUS_CHANGED, old_status="joining", new_status="in_call", status="in_call"),
            )
        assert callbacks, "the push waits for the commit"
        for callback in callbacks:
            callback()
        assert pushes_flush()
        received = async_to_sync(_receive_many)(layer, channel, 2)
        assert [m["type"] for m in received] == ["meeting.event", "meeting.event"]
        assert [(m["event"]["id"], m["event"]["sequence"]) for m in received] == [(segment.id, 1), (status.id, 2)]
        assert received[0]["event"]["data"] == event_data(EventType.SEGMENT_FINALIZED, text="hello")
        assert received[0]["event"]["type"] == "segment.finalized"
        # The organization's group hears status changes only: captions would flood the bot list.
        message, nothing_more = async_to_sync(_receive_then_nothing)(layer, org_channel)
        assert message["event"]["id"] == status.id
        assert nothing_more is None
    finally:
        async_to_sync(layer.group_discard)(meeting_group(meeting.id), channel)
        async_to_sync(layer.group_discard)(organization_group(meeting.organization_id), org_channel)


@pytest.mark.django_db
def test_a_meeting_nobody_listens_to_costs_no_push(monkeypatch, django_capture_on_commit_callbacks):
    """The push is skipped while the meeting's group is empty, and made again once someone joins."""
    meeting = MeetingFactory()
    layer = get_channel_layer()
    group = meeting_group(meeting.id)
    submitted = []
    pusher = push._get_pusher()
    original = pusher.submit
    monkeypatch.setattr(pusher, "submit", lambda *args: submitted.append(args[1]["id"]) or original(*args))
    assert not push._listened(layer, group)
    with django_capture_on_commit_callbacks(execute=True):
        unheard = publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text="nobody"))

    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    try:
        assert push._listened(layer, group)
        with django_capture_on_commit_callbacks(execute=True):
            heard = publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text="someone"))
        assert pushes_flush()
        message, nothing_more = async_to_sync(_receive_then_nothing)(layer, channel)
        assert message["event"]["id"] == heard.id
        assert nothing_more is None
    finally:
        async_to_sync(layer.group_discard)(group, channel)
    assert not push._listened(layer, group)
    assert submitted == [heard.id]
    assert unheard.sequence == 1
