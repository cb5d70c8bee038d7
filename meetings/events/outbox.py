"""The one path of every event: `publish` (a meeting's event) and `publish_organization_event` (an
organization's own) append to the ordered log (the outbox), run the registered fanouts in the same
write, and after commit push the event to its Channels groups and call the fanouts back."""

import functools
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from meetings.events.catalogue import EventType
from meetings.events.checks import EventPayloadError, payload_problem
from meetings.events.fanout import fanouts
from meetings.events.push import meeting_group, organization_events_group, organization_group, push
from meetings.models import Meeting, MeetingEvent, new_event_id

log = logging.getLogger(__name__)

Organization = MeetingEvent._meta.get_field("organization").related_model

# Meeting events the dashboard's bot list hears (its organization group); the rest goes to the
# meeting's group only, which spares a channel-layer round trip for every caption.
ORGANIZATION_GROUP_TYPES = frozenset({EventType.BOT_STATUS_CHANGED})


def event_to_dict(event: MeetingEvent) -> dict:
    """The envelope every listener gets: webhook body (native), WebSocket message, replay item."""
    if event.meeting_id is None:
        return {
            "id": event.id,
            "type": event.type,
            "organization_id": event.organization_id,
            "meeting_id": None,
            "bot_id": event.bot_id or None,
            "sequence": event.sequence,
            "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
            "data": event.payload,
        }
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
    gives its number back. The fanouts (webhook deliveries) write in the same transaction, so an
    event that exists is never missing its deliveries; pushes happen only after commit.

    Every caption and segment comes through here, so it is plain SQL: on PostgreSQL one statement
    (one round trip, its own transaction when the caller has none), elsewhere a few in a transaction.
    The payload is checked against the event catalogue first (see `_check`).
    """
    _check(type, payload, "meeting")
    event = MeetingEvent(
        id=new_event_id(), meeting_id=meeting.pk, type=type, payload=payload, bot_id=bot_id, created_at=timezone.now()
    )
    _append(event, "meeting", meeting.organization_id)
    message = event_to_dict(event)
    group = meeting_group(meeting.pk)
    also = organization_group(meeting.organization_id) if type in ORGANIZATION_GROUP_TYPES else None
    # Outside a transaction this runs at once (the write is committed); inside one, after its commit.
    transaction.on_commit(lambda: push(message, group, also=also))
    meeting.event_seq = event.sequence
    return event


def publish_organization_event(organization_id: str, type: str, payload: dict, *, bot_id: str = "") -> MeetingEvent:
    """Append an event that belongs to no meeting to the organization's own log, with the
    organization's next gapless sequence; otherwise exactly as `publish` (same table, fanouts,
    deliveries and retries). The organization row is the lock that orders its events."""
    _check(type, payload, "organization")
    event = MeetingEvent(
        id=new_event_id(),
        organization_id=organization_id,
        type=type,
        payload=payload,
        bot_id=bot_id,
        created_at=timezone.now(),
    )
    _append(event, "organization", organization_id)
    message = event_to_dict(event)
    group = organization_events_group(organization_id)
    transaction.on_commit(lambda: push(message, group, kind="organization.event"))
    return event


def _check(type: str, payload: dict, scope: str) -> None:
    """Hold the event to the catalogue. Outside production a mismatch raises `EventPayloadError`, so
    tests and development fail at the publisher. In production the event is published all the
    same and the mismatch is logged once per type: an event is worth more to its listeners than
    the exact shape of its payload, and a bot in a call must not stop over a field."""
    problem = payload_problem(type, payload, scope)
    if problem is None:
        return
    if not settings.IS_PRODUCTION:
        raise EventPayloadError(problem)
    if (type, scope) not in _reported:
        _reported.add((type, scope))
        log.error("Event published against the catalogue: %s", problem)


_reported: set[tuple[str, str]] = set()


def _append(event: MeetingEvent, scope: str, organization_id: str) -> None:
    """Write the event (and what the fanouts add) and schedule the fanouts' after-commit calls."""
    write = _write_in_one_statement if connection.vendor == "postgresql" else _write_portable
    active = fanouts()
    results = write(event, scope, organization_id, active)
    event._state.adding, event._state.db = False, connection.alias
    for fanout, result in zip(active, results, strict=True):
        if result:
            transaction.on_commit(functools.partial(fanout.on_commit, result))


_EVENT_FIELDS = [f for f in MeetingEvent._meta.concrete_fields]
_INSERT_SQL = (
    f"INSERT INTO {MeetingEvent._meta.db_table} ({', '.join(f.column for f in _EVENT_FIELDS)}) "
    f"VALUES ({', '.join(['%s'] * len(_EVENT_FIELDS))})"
)
# The row whose counter orders the log, and the parameter naming it, per scope.
_COUNTERS = {"meeting": (Meeting, "meeting_id"), "organization": (Organization, "organization_id")}


def _bump_sql(scope: str, placeholder: str) -> str:
    model, _ = _COUNTERS[scope]
    return f"UPDATE {model._meta.db_table} SET event_seq = event_seq + 1 WHERE id = {placeholder} RETURNING event_seq"


def _insert_values(event: MeetingEvent) -> list:
    """The row as the ORM would send it to this database (JSON adapter, datetime format)."""
    return [f.get_db_prep_save(getattr(event, f.attname), connection) for f in _EVENT_FIELDS]


def _write_portable(event: MeetingEvent, scope: str, organization_id: str, active) -> list:
    """Any database: bump, event row and the fanouts' rows in one transaction."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One round trip for bump-and-read (SQLite >= 3.35 knows RETURNING).
            cursor.execute(_bump_sql(scope, "%s"), [event.meeting_id if scope == "meeting" else organization_id])
            row = cursor.fetchone()
            if row is None:
                raise _gone(event, scope)
            event.sequence = row[0]
            cursor.execute(_INSERT_SQL, _insert_values(event))
        return [fanout.write(event, organization_id) for fanout in active]


def _write_in_one_statement(event: MeetingEvent, scope: str, organization_id: str, active) -> list:
    """Bump, event row and the fanouts' rows as one PostgreSQL statement: 1 round trip instead of 6
    (BEGIN, bump, insert, endpoints, deliveries, COMMIT), which halves what a publish costs the
    publisher and the server. A test holds it to the same answers as `_write_portable`."""
    prepared = _insert_values(event)
    values = {f"col_{f.attname}": value for f, value in zip(_EVENT_FIELDS, prepared, strict=True)}
    values.update(
        event_id=event.id,
        event_type=event.type,
        created_at=values["col_created_at"],
        meeting_id=event.meeting_id,
        organization_id=organization_id,
    )
    for fanout in active:
        values.update(fanout.statement_params(event, organization_id))
    with connection.cursor() as cursor:
        cursor.execute(_statement_sql(scope, active), values)
        sequence, *columns = cursor.fetchone()
    if sequence is None:
        raise _gone(event, scope)
    event.sequence = sequence
    return [fanout.statement_result(event, value) for fanout, value in zip(active, columns, strict=True)]


def _gone(event: MeetingEvent, scope: str) -> Exception:
    model, _ = _COUNTERS[scope]
    owner = event.meeting_id if scope == "meeting" else event.organization_id
    return model.DoesNotExist(f"No {model._meta.model_name} {owner} to publish {event.type} to")


@functools.cache
def _statement_sql(scope: str, active: tuple) -> str:
    """The one statement for this scope and these fanouts."""
    _, key = _COUNTERS[scope]
    selected = ["event_seq" if f.attname == "sequence" else f"%(col_{f.attname})s" for f in _EVENT_FIELDS]
    parts = [fanout.statement_sql() for fanout in active]
    return f"""
WITH bump AS ({_bump_sql(scope, f"%({key})s")}
), event AS (
  INSERT INTO {MeetingEvent._meta.db_table} ({", ".join(f.column for f in _EVENT_FIELDS)})
  SELECT {", ".join(selected)} FROM bump RETURNING sequence
){"".join(ctes for ctes, _ in parts)}
SELECT (SELECT sequence FROM event){"".join(f", {result}" for _, result in parts)}"""
