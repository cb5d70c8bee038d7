"""The two statements a delivery task runs for every batch, as plain SQL: a stream's next pending
deliveries with their events and endpoint, and what became of them. At a few hundred events per
second, building these queries through the ORM cost more CPU than running them."""

import functools

from django.db import connection, transaction
from django.utils import timezone

from meetings.models import MeetingEvent
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

_LOADED = (WebhookDelivery, MeetingEvent, WebhookEndpoint)


def pending_batch(endpoint_id: str, meeting_id: str, limit: int) -> list[WebhookDelivery]:
    """The stream's first `limit` pending deliveries in sequence order, each with `.event` and
    `.endpoint` loaded (one endpoint object, read fresh: it may have been disabled meanwhile).
    `meeting_id` "" is the stream of the organization's own events."""
    pending = WebhookDelivery.Status.PENDING
    with connection.cursor() as cursor:
        if meeting_id:
            cursor.execute(_batch_sql(True), [endpoint_id, meeting_id, pending, limit])
        else:
            cursor.execute(_batch_sql(False), [endpoint_id, pending, limit])
        rows = cursor.fetchall()
    batch, endpoint = [], None
    for row in rows:
        delivery, event, loaded_endpoint = _instances(row)
        endpoint = endpoint or loaded_endpoint
        delivery.event, delivery.endpoint = event, endpoint
        batch.append(delivery)
    return batch


def outcomes_record(done: list[tuple[WebhookDelivery, object]], fields: list[str]) -> None:
    """One attempt row per send, and the deliveries' new state: one UPDATE per distinct outcome,
    since a batch mostly ends the same way for every delivery in it."""
    attempt_columns = ["delivery_id", "status_code", "latency_ms", "response_excerpt", "error", "created_at"]
    now = _prep(WebhookAttempt, "created_at", timezone.now())
    rows = [
        [delivery.pk, result.status_code, result.latency_ms, result.response_excerpt, result.error[:500], now]
        for delivery, result in done
    ]
    outcomes: dict[tuple, list[str]] = {}
    for delivery, _ in done:
        values = tuple(_prep(WebhookDelivery, name, getattr(delivery, name)) for name in fields)
        outcomes.setdefault(values, []).append(delivery.pk)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WebhookAttempt._meta.db_table} ({', '.join(attempt_columns)}) VALUES "
            + ", ".join([f"({', '.join(['%s'] * len(attempt_columns))})"] * len(rows)),
            [value for row in rows for value in row],
        )
        assignments = ", ".join(f"{WebhookDelivery._meta.get_field(name).column} = %s" for name in fields)
        for values, ids in outcomes.items():
            cursor.execute(
                f"UPDATE {WebhookDelivery._meta.db_table} SET {assignments} "
                f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
                [*values, *ids],
            )


def _prep(model, name: str, value):
    return model._meta.get_field(name).get_db_prep_save(value, connection)


@functools.cache
def _batch_sql(of_meeting: bool) -> str:
    delivery, event, endpoint = (model._meta.db_table for model in _LOADED)
    columns = ", ".join(
        f"{alias}.{field.column}"
        for alias, model in zip("dev", _LOADED, strict=True)
        for field in model._meta.concrete_fields
    )
    return (
        f"SELECT {columns} FROM {delivery} d "
        f"JOIN {event} e ON e.id = d.event_id JOIN {endpoint} v ON v.id = d.endpoint_id "
        f"WHERE d.endpoint_id = %s AND {'e.meeting_id = %s' if of_meeting else 'e.meeting_id IS NULL'} "
        "AND d.status = %s ORDER BY e.sequence LIMIT %s"
    )


def _instances(row: tuple) -> list:
    """Model instances from one joined row, with the same conversions the ORM applies."""
    instances, at = [], 0
    for model, converters in zip(_LOADED, _converters(connection.vendor), strict=True):
        values = list(row[at : at + len(converters)])
        for i, (column, chain) in enumerate(converters):
            for convert in chain:
                values[i] = convert(values[i], column, connection)
        instances.append(model.from_db(connection.alias, None, values))
        at += len(converters)
    return instances


@functools.cache
def _converters(vendor: str) -> list[list[tuple]]:
    """Per model, per concrete field: what turns the driver's value into the field's (JSON text into
    a list or dict, SQLite's datetime text into a datetime). `vendor` keys the cache only."""
    return [
        [_field_converters(field.get_col(model._meta.db_table)) for field in model._meta.concrete_fields]
        for model in _LOADED
    ]


def _field_converters(column) -> tuple:
    return column, [*connection.ops.get_db_converters(column), *column.output_field.get_db_converters(connection)]
