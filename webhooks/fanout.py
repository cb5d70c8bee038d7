"""Webhooks' part of every publish (registered in `WebhooksConfig.ready`): one pending delivery per
active endpoint subscribed to the event, written with the event, and the delivery streams woken
after commit. See `meetings.events.fanout` for the contract.

Which endpoints: the event's organization's active ones whose format carries the type and whose
`event_types` is empty (everything) or names it; for a meeting event also the meeting's own
endpoint (a bot's `webhook_url`), for an organization event only organization-wide ones.
The rule is written twice, in SQL for the one-statement publish and in Python (`write`); a test
holds the two to the same answers.
"""

from django.db import connection

from meetings.models import MeetingEvent
from webhooks.models import WebhookDelivery, WebhookEndpoint, new_delivery_id
from webhooks.renderers import formats_accepting, renderer_for

_EVENT_TYPES = WebhookEndpoint._meta.get_field("event_types")
_CREATED_AT = WebhookDelivery._meta.get_field("created_at")


def stream_of(meeting_id: str | None) -> str:
    """A delivery stream is an endpoint's deliveries for one meeting, or ("") for its organization's
    own events; each is sent in order, independently of the others."""
    return meeting_id or ""


class WebhookFanout:
    name = "webhooks"

    def statement_sql(self) -> tuple[str, str]:
        endpoints, deliveries = WebhookEndpoint._meta.db_table, WebhookDelivery._meta.db_table
        ctes = f""", webhooks_endpoint AS (
  SELECT id FROM {endpoints}
  WHERE organization_id = %(organization_id)s AND active AND (meeting_id IS NULL OR meeting_id = %(meeting_id)s)
    AND (event_types = '[]'::jsonb OR event_types ? %(event_type)s) AND format = ANY(%(webhooks_formats)s)
), webhooks_delivery AS (
  INSERT INTO {deliveries} (id, endpoint_id, event_id, status, attempts, last_error, created_at)
  SELECT %(webhooks_delivery_base)s || lpad((row_number() OVER ())::text, 2, '0'), webhooks_endpoint.id,
         %(event_id)s, %(webhooks_pending)s, 0, '', %(created_at)s
  FROM webhooks_endpoint, event
  RETURNING endpoint_id
)"""
        return ctes, "ARRAY(SELECT endpoint_id FROM webhooks_delivery)"

    def statement_params(self, event: MeetingEvent, organization_id: str) -> dict:
        return {
            "webhooks_formats": formats_accepting(event.type),
            # Delivery ids keep the `dlv_` + 22 characters shape: 20 random ones and the row's number.
            "webhooks_delivery_base": new_delivery_id()[:-2],
            "webhooks_pending": WebhookDelivery.Status.PENDING,
        }

    def statement_result(self, event: MeetingEvent, value: list[str]) -> list[tuple[str, str]]:
        stream = stream_of(event.meeting_id)
        return [(endpoint_id, stream) for endpoint_id in value]

    def write(self, event: MeetingEvent, organization_id: str) -> list[tuple[str, str]]:
        """Two plain statements rather than ORM instances: this runs for every event published."""
        endpoint_table = WebhookEndpoint._meta.db_table
        meeting_rule = "meeting_id IS NULL" if event.meeting_id is None else "(meeting_id IS NULL OR meeting_id = %s)"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, event_types, format FROM {endpoint_table} "
                f"WHERE organization_id = %s AND active = %s AND {meeting_rule}",
                [organization_id, True] + ([] if event.meeting_id is None else [event.meeting_id]),
            )
            wanted = [
                endpoint_id
                for endpoint_id, event_types, format in cursor.fetchall()
                if _subscribed(_EVENT_TYPES.from_db_value(event_types, None, connection), event.type)
                and renderer_for(format).accepts(event.type)
            ]
            if wanted:
                created_at = _CREATED_AT.get_db_prep_save(event.created_at, connection)
                pending = WebhookDelivery.Status.PENDING
                cursor.execute(
                    f"INSERT INTO {WebhookDelivery._meta.db_table} "
                    "(id, endpoint_id, event_id, status, attempts, last_error, created_at) VALUES "
                    + ", ".join(["(%s, %s, %s, %s, 0, '', %s)"] * len(wanted)),
                    [
                        v
                        for endpoint_id in wanted
                        for v in (new_delivery_id(), endpoint_id, event.id, pending, created_at)
                    ],
                )
        stream = stream_of(event.meeting_id)
        return [(endpoint_id, stream) for endpoint_id in wanted]

    def on_commit(self, result: list[tuple[str, str]]) -> None:
        from webhooks.services import deliveries_enqueue

        deliveries_enqueue(streams=result)


def _subscribed(event_types: list, event_type: str) -> bool:
    return not event_types or event_type in event_types
