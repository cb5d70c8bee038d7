"""The one path of every event: `publish` appends to the meeting's ordered log (the outbox), and
after commit pushes it to the meeting's Channels group and hands it to webhook delivery."""

import asyncio
import atexit
import functools
import logging
import os
import threading

import redis
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

    Every caption and segment comes through here, so it is plain SQL: on PostgreSQL one statement
    (one round trip, its own transaction when the caller has none), elsewhere a few in a transaction.
    """
    from webhooks.services import deliveries_enqueue

    event = MeetingEvent(
        id=new_event_id(), meeting_id=meeting.pk, type=type, payload=payload, bot_id=bot_id, created_at=timezone.now()
    )
    write = _write_in_one_statement if connection.vendor == "postgresql" else _write_portable
    streams = write(event, meeting.organization_id)
    event._state.adding, event._state.db = False, connection.alias
    message = event_to_dict(event)
    organization_id = meeting.organization_id if type in ORGANIZATION_EVENT_TYPES else None
    # Outside a transaction these run at once (the write is committed); inside one, after its commit.
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


def _write_portable(event: MeetingEvent, organization_id: str) -> list[tuple[str, str]]:
    """Any database: bump, event row and deliveries in one transaction."""
    from webhooks.services import deliveries_create_for_event

    with transaction.atomic():
        with connection.cursor() as cursor:
            # One round trip for bump-and-read (SQLite >= 3.35 knows RETURNING).
            cursor.execute(_BUMP_SQL, [event.meeting_id])
            row = cursor.fetchone()
            if row is None:
                raise _no_meeting(event)
            event.sequence = row[0]
            cursor.execute(_INSERT_SQL, _insert_values(event))
        return deliveries_create_for_event(event=event, organization_id=organization_id)


def _write_in_one_statement(event: MeetingEvent, organization_id: str) -> list[tuple[str, str]]:
    """Bump, event row and deliveries as one PostgreSQL statement: 1 round trip instead of 6
    (BEGIN, bump, insert, endpoints, deliveries, COMMIT), which halves what a publish costs the
    publisher and the server. The endpoint rule is `webhooks.services.deliveries_create_for_event`'s,
    written in SQL; a test holds the two to the same answers."""
    from webhooks.models import WebhookDelivery, new_delivery_id
    from webhooks.renderers import formats_accepting

    values = dict(zip((f.attname for f in _EVENT_FIELDS), _insert_values(event), strict=True))
    values.pop("sequence")
    values.update(
        organization_id=organization_id,
        formats=formats_accepting(event.type),
        # Delivery ids keep the `dlv_` + 22 characters shape: 20 random ones and the row's number.
        delivery_base=new_delivery_id()[:-2],
        pending=WebhookDelivery.Status.PENDING,
    )
    with connection.cursor() as cursor:
        cursor.execute(_publish_sql(), values)
        sequence, endpoint_ids = cursor.fetchone()
    if sequence is None:
        raise _no_meeting(event)
    event.sequence = sequence
    return [(endpoint_id, event.meeting_id) for endpoint_id in endpoint_ids]


def _no_meeting(event: MeetingEvent) -> Meeting.DoesNotExist:
    return Meeting.DoesNotExist(f"No meeting {event.meeting_id} to publish {event.type} to")


@functools.cache
def _publish_sql() -> str:
    from webhooks.models import WebhookDelivery, WebhookEndpoint

    columns = [f.column for f in _EVENT_FIELDS]
    selected = [
        "event_seq" if c == "sequence" else f"%({f.attname})s" for c, f in zip(columns, _EVENT_FIELDS, strict=True)
    ]
    return f"""
WITH bump AS (
  UPDATE {Meeting._meta.db_table} SET event_seq = event_seq + 1 WHERE id = %(meeting_id)s RETURNING event_seq
), event AS (
  INSERT INTO {MeetingEvent._meta.db_table} ({", ".join(columns)}) SELECT {", ".join(selected)} FROM bump
  RETURNING sequence
), endpoint AS (
  SELECT id FROM {WebhookEndpoint._meta.db_table}
  WHERE organization_id = %(organization_id)s AND active AND (meeting_id IS NULL OR meeting_id = %(meeting_id)s)
    AND (event_types = '[]'::jsonb OR event_types ? %(type)s) AND format = ANY(%(formats)s)
), delivery AS (
  INSERT INTO {WebhookDelivery._meta.db_table} (id, endpoint_id, event_id, status, attempts, last_error, created_at)
  SELECT %(delivery_base)s || lpad((row_number() OVER ())::text, 2, '0'), endpoint.id, %(id)s, %(pending)s, 0, '',
         %(created_at)s
  FROM endpoint, event
  RETURNING endpoint_id
)
SELECT (SELECT sequence FROM event), ARRAY(SELECT endpoint_id FROM delivery)"""


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
        if organization_id is None and not _listened(layer, meeting_group(message["meeting_id"])):
            return
        _get_pusher().submit(layer, message, organization_id)
    except Exception:
        # The log is the truth; live listeners that missed a push replay with ?after=N.
        log.warning("Could not push event %s to the channel layer", message["id"], exc_info=True)


_presence_clients: dict[str, redis.Redis] = {}


def _listened(layer, group: str) -> bool:
    """Whether the group has members now. Most meetings have no live listener, and a group_send
    that finds nobody costs the publisher more than writing the event did: one EXISTS instead.

    The Redis layer keeps a group's members in one sorted set, which group_send reads the same way,
    so skipping is what group_send would have done at that moment. A listener joining later joins
    before it reads the log (`?after=N`), so it finds the event there. Other layers: always send.
    """
    key_of, hosts = getattr(layer, "_group_key", None), getattr(layer, "hosts", None)
    if key_of is None or not hosts:
        return True
    address = hosts[layer.consistent_hash(group)].get("address")
    if not isinstance(address, str):
        return True
    try:
        client = _presence_clients.get(address)
        if client is None:
            client = _presence_clients.setdefault(address, redis.Redis.from_url(address))
        return bool(client.exists(key_of(group)))
    except redis.RedisError:
        return True  # let group_send try (and log) as before
