"""The one path of every event: `publish` appends to the meeting's ordered log (the outbox), and
after commit pushes it to the meeting's Channels group and hands it to webhook delivery."""

import asyncio
import atexit
import logging
import os
import threading

from channels.layers import get_channel_layer
from django.db import connection, transaction
from django.utils import timezone

from meetings.models import Meeting, MeetingEvent, new_event_id

log = logging.getLogger(__name__)


class EventType:
    BOT_STATUS_CHANGED = "bot.status_changed"
    PARTICIPANT_JOINED = "participant_joined"
    PARTICIPANT_LEFT = "participant_left"
    SPEAKER_CHANGED = "speaker_changed"
    CAPTION_PARTIAL = "caption_partial"
    SEGMENT_FINALIZED = "segment_finalized"
    COACH_INSIGHT = "coach_insight"
    RECORDING_READY = "recording_ready"
    TRANSCRIPT_READY = "transcript_ready"
    DOCUMENT_SAVED = "document_saved"
    CHAT_MESSAGE = "chat_message"

    ALL = (
        BOT_STATUS_CHANGED,
        PARTICIPANT_JOINED,
        PARTICIPANT_LEFT,
        SPEAKER_CHANGED,
        CAPTION_PARTIAL,
        SEGMENT_FINALIZED,
        COACH_INSIGHT,
        RECORDING_READY,
        TRANSCRIPT_READY,
        DOCUMENT_SAVED,
        CHAT_MESSAGE,
    )


# What organization-wide listeners (the dashboard's bot list) hear; the rest goes to the meeting's
# group only, which spares a channel-layer round trip for every caption.
ORGANIZATION_EVENT_TYPES = frozenset({EventType.BOT_STATUS_CHANGED})


def meeting_group(meeting_id: str) -> str:
    return f"meeting.{meeting_id}"


def organization_group(organization_id: str) -> str:
    return f"org.{organization_id}"


def event_to_dict(event: MeetingEvent) -> dict:
    return {
        "id": event.id,
        "type": event.type,
        "meeting_id": event.meeting_id,
        "bot_id": event.bot_id or None,
        "sequence": event.sequence,
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": event.payload,
    }


def publish(meeting: Meeting, type: str, payload: dict, *, bot_id: str = "") -> MeetingEvent:
    """Append an event to the meeting's log with the next gapless sequence number.

    The sequence counter is bumped with an UPDATE on the meeting row, which holds the row lock until
    the surrounding transaction ends: concurrent publishers queue up, and a rolled-back publish
    gives its number back. Webhook deliveries are written in the same transaction, so an event that
    exists is never missing its deliveries; pushes happen only after commit.

    Every caption and segment comes through here, so it is written as plain SQL statements: the
    ORM's create() and bulk_create() cost more CPU than the database work itself.
    """
    from webhooks.services import deliveries_create_for_event, deliveries_enqueue

    event = MeetingEvent(
        id=new_event_id(), meeting_id=meeting.pk, type=type, payload=payload, bot_id=bot_id, created_at=timezone.now()
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One round trip for bump-and-read (PostgreSQL and SQLite >= 3.35 both know RETURNING).
            cursor.execute(_BUMP_SQL, [meeting.pk])
            event.sequence = cursor.fetchone()[0]
            cursor.execute(_INSERT_SQL, _insert_values(event))
        event._state.adding, event._state.db = False, connection.alias
        streams = deliveries_create_for_event(event=event, organization_id=meeting.organization_id)
        message = event_to_dict(event)
        organization_id = meeting.organization_id if type in ORGANIZATION_EVENT_TYPES else None
        transaction.on_commit(lambda: _push(message, organization_id))
        if streams:
            transaction.on_commit(lambda: deliveries_enqueue(streams=streams))
    meeting.event_seq = event.sequence
    return event


_BUMP_SQL = f"UPDATE {Meeting._meta.db_table} SET event_seq = event_seq + 1 WHERE id = %s RETURNING event_seq"
_EVENT_FIELDS = [f for f in MeetingEvent._meta.concrete_fields]
_INSERT_SQL = (
    f"INSERT INTO {MeetingEvent._meta.db_table} ({', '.join(f.column for f in _EVENT_FIELDS)}) "
    f"VALUES ({', '.join(['%s'] * len(_EVENT_FIELDS))})"
)


def _insert_values(event: MeetingEvent) -> list:
    """The row as the ORM would send it to this database (JSON adapter, datetime format)."""
    return [f.get_db_prep_save(getattr(event, f.attname), connection) for f in _EVENT_FIELDS]


class _Pusher:
    """Sends pushes to the channel layer from one event loop per process, in its own thread, in the
    order they were handed over, without making the publisher wait. async_to_sync would start a loop
    per call, and the Redis layer keeps connections per loop: a new connection for every event,
    which capped publishing at a few dozen events per second."""

    def __init__(self):
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.queue: asyncio.Queue = asyncio.Queue()
        self.idle = threading.Condition()
        self.pending = 0
        threading.Thread(
            target=self.loop.run_until_complete, args=(self._run(),), name="event-push", daemon=True
        ).start()

    def submit(self, layer, message: dict, organization_id: str | None) -> None:
        with self.idle:
            self.pending += 1
        self.loop.call_soon_threadsafe(self.queue.put_nowait, (layer, message, organization_id))

    def flush(self, timeout: float) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.pending == 0, timeout)

    async def _run(self) -> None:
        while True:
            layer, message, organization_id = await self.queue.get()
            try:
                group_message = {"type": "meeting.event", "event": message}
                await layer.group_send(meeting_group(message["meeting_id"]), group_message)
                if organization_id is not None:
                    await layer.group_send(organization_group(organization_id), group_message)
            except Exception:
                # The log is the truth; live listeners that missed a push replay with ?after=N.
                log.warning("Could not push event %s to the channel layer", message["id"], exc_info=True)
            finally:
                with self.idle:
                    self.pending -= 1
                    self.idle.notify_all()


_pusher: _Pusher | None = None
_pusher_lock = threading.Lock()


def _get_pusher() -> _Pusher:
    global _pusher
    with _pusher_lock:
        # A forked child (Celery prefork) inherits the object but not its thread.
        if _pusher is None or _pusher.pid != os.getpid():
            _pusher = _Pusher()
        return _pusher


def pushes_flush(timeout: float = 5.0) -> bool:
    """Wait until this process's pushes have left (at exit, and for tests); False on timeout."""
    return _pusher is None or _pusher.pid != os.getpid() or _pusher.flush(timeout)


atexit.register(pushes_flush, 2.0)


def _push(message: dict, organization_id: str | None) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        _get_pusher().submit(layer, message, organization_id)
    except Exception:
        # The log is the truth; live listeners that missed a push replay with ?after=N.
        log.warning("Could not push event %s to the channel layer", message["id"], exc_info=True)
