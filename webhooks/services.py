"""Webhook endpoints and deliveries. Delivery itself (signing, retries, ordering) is in delivery.py."""

import base64
import logging
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization
from common.errors import ValidationError
from meetings.events import EventType, canonical_type
from meetings.models import Meeting
from webhooks.fanout import stream_of
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.renderers import renderer_for

log = logging.getLogger(__name__)


def endpoint_secret() -> str:
    """A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def deliveries_enqueue(*, streams: list[tuple[str, str]]) -> None:
    """Wake the delivery of these (endpoint_id, stream) streams (`fanout.stream_of`); called after commit."""
    from webhooks.delivery import stream_kick

    for endpoint_id, meeting_id in streams:
        try:
            stream_kick(endpoint_id=endpoint_id, meeting_id=meeting_id)
        except Exception:
            # The deliveries are stored; the beat task finds them even if this wake-up is lost.
            log.warning("Could not enqueue webhook stream %s/%s", endpoint_id, meeting_id, exc_info=True)


def _check_format_carries(*, format: str, event_types: list[str]) -> None:
    """A format that has no word for an event type never sends it: subscribing to it would be a silent no-op."""
    renderer = renderer_for(format)
    refused = [t for t in event_types if not renderer.accepts(t)]
    if refused:
        carried = [t for t in EventType.ALL if renderer.accepts(t)]
        message = (
            f"The {format} format cannot carry {', '.join(refused)}; it carries {', '.join(carried)}. "
            "Use the native format for every event type."
        )
        raise ValidationError(message, fields={"event_types": [f"not carried by {format}: {', '.join(refused)}"]})


def endpoint_create(
    *,
    organization: Organization,
    url: str,
    event_types: list[str] | None = None,
    format: str = "native",
    **fields: Any,
) -> WebhookEndpoint:
    """An organization-wide endpoint with its own signing secret (returned once, in the create answer).

    An empty `event_types` means every event type the format carries."""
    from webhooks.ssrf import url_check

    url_check(url)
    _check_format_carries(format=format, event_types=_current_names(event_types or []))
    return WebhookEndpoint.objects.create(
        organization=organization,
        url=url,
        event_types=_current_names(event_types or []),
        format=format,
        secret=endpoint_secret(),
        **fields,
    )


def _current_names(event_types: list[str]) -> list[str]:
    """Subscriptions are stored under the types' current names: an old name (an alias) becomes the
    current one, so that the endpoint receives the renamed events."""
    return list(dict.fromkeys(canonical_type(name) for name in event_types))


def endpoint_create_for_meeting(
    *,
    meeting: Meeting,
    url: str,
    secret: str,
    description: str = "",
    format: str = WebhookEndpoint.Format.NATIVE,
    event_types: list[str] | None = None,
) -> WebhookEndpoint:
    """The endpoint of one meeting (a bot's `webhook_url`): every event of that meeting (or those of
    `event_types`), none of the organization's own, signed with `secret` (the signing secret of the API
    key that asked for it), in `format` (a vendor dialect's callbacks use its own)."""
    if event_types:
        _check_format_carries(format=format, event_types=event_types)
    return WebhookEndpoint.objects.create(
        organization_id=meeting.organization_id,
        meeting=meeting,
        url=url,
        secret=secret,
        description=description,
        format=format,
        event_types=list(event_types or []),
    )


def endpoint_update(*, endpoint: WebhookEndpoint, **changes: Any) -> WebhookEndpoint:
    """Change an endpoint; turning it back on clears the disable reason and resumes what was pending."""
    from webhooks.ssrf import url_check

    if "url" in changes:
        url_check(changes["url"])
    if "event_types" in changes:
        changes["event_types"] = _current_names(changes["event_types"] or [])
    _check_format_carries(
        format=changes.get("format", endpoint.format), event_types=changes.get("event_types", endpoint.event_types)
    )
    reactivated = changes.get("active") is True and not endpoint.active
    for name, value in changes.items():
        setattr(endpoint, name, value)
    if changes.get("active"):
        endpoint.disabled_reason = ""
        endpoint.failing_since = None
    with transaction.atomic():
        endpoint.save()
        if reactivated:
            streams = [
                (endpoint_id, stream_of(meeting_id))
                for endpoint_id, meeting_id in WebhookDelivery.objects.filter(
                    endpoint=endpoint, status=WebhookDelivery.Status.PENDING
                )
                .values_list("endpoint_id", "event__meeting_id")
                .distinct()
            ]
            transaction.on_commit(lambda: deliveries_enqueue(streams=streams))
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def endpoint_send_test(*, endpoint: WebhookEndpoint) -> dict:
    """Send a made-up `webhook.test` event now and report how the endpoint answered."""
    from webhooks.delivery import send_test

    event, result = send_test(endpoint=endpoint)
    return {
        "delivered": result.ok,
        "status_code": result.status_code,
        "latency_ms": result.latency_ms,
        "error": result.error,
        "response_excerpt": result.response_excerpt,
        "event": event,
    }


def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (same webhook-id) with a fresh retry window; the attempt log is kept.

    It goes back into its stream's order: later pending deliveries of the same endpoint and meeting
    wait for it, as for any other pending delivery.
    """
    from datetime import timedelta

    from django.conf import settings

    with transaction.atomic():
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = None
        delivery.retry_until = timezone.now() + timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_S)
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "retry_until"])
        stream = (delivery.endpoint_id, stream_of(delivery.event.meeting_id))
        transaction.on_commit(lambda: _kick_now(stream))
    return delivery


def _kick_now(stream: tuple[str, str]) -> None:
    from webhooks.delivery import stream_kick

    stream_kick(endpoint_id=stream[0], meeting_id=stream[1], force=True)
