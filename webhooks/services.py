"""Webhook endpoints and deliveries. Delivery itself (signing, retries, ordering) is in delivery.py."""

import secrets

from django.db.models import Q

from meetings.models import MeetingEvent
from webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoint_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def deliveries_create_for_event(*, event: MeetingEvent, organization_id: str) -> list[str]:
    """One pending delivery per active endpoint subscribed to this event; same transaction as the event."""
    endpoints = WebhookEndpoint.objects.filter(organization_id=organization_id, active=True).filter(
        Q(meeting__isnull=True) | Q(meeting_id=event.meeting_id)
    )
    wanted = [e for e in endpoints if e.wants(event.type)]
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=endpoint, event=event) for endpoint in wanted]
    )
    return [d.id for d in deliveries]


def deliveries_enqueue(*, delivery_ids: list[str]) -> None:
    from webhooks.tasks import deliver_webhook

    for delivery_id in delivery_ids:
        deliver_webhook.delay(delivery_id)


def endpoint_create(*, organization, url: str, event_types=None, format: str = "native", **fields) -> WebhookEndpoint:
    """An organization-wide endpoint with its own signing secret (returned once, in the create answer)."""
    from webhooks.ssrf import url_check

    url_check(url)
    return WebhookEndpoint.objects.create(
        organization=organization,
        url=url,
        event_types=event_types or [],
        format=format,
        secret=endpoint_secret(),
        **fields,
    )


def endpoint_update(*, endpoint: WebhookEndpoint, **changes) -> WebhookEndpoint:
    from webhooks.ssrf import url_check

    if "url" in changes:
        url_check(changes["url"])
    for name, value in changes.items():
        setattr(endpoint, name, value)
    if changes.get("active"):
        endpoint.disabled_reason = ""
        endpoint.failing_since = None
    endpoint.save()
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again from the start (same webhook-id); the attempt log is kept."""
    from django.db import transaction

    with transaction.atomic():
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "next_attempt_at"])
        transaction.on_commit(lambda: deliveries_enqueue(delivery_ids=[delivery.id]))
    return delivery
