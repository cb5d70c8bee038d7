"""Endpoint health: how long an endpoint has failed without a success, and turning it off past the limit."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from meetings.events import EventType, publish_organization_event
from webhooks import transport
from webhooks.models import WebhookEndpoint

log = logging.getLogger(__name__)


def endpoint_health_record(endpoint: WebhookEndpoint, last: transport.SendResult) -> None:
    """Track how long the endpoint has been failing without a single success; disable it past the limit."""
    now = timezone.now()
    if last.ok:
        if endpoint.failing_since is not None:
            endpoint.failing_since = None
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        return
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since=None).update(failing_since=now)
    elif (now - endpoint.failing_since).total_seconds() >= settings.WEBHOOK_DISABLE_AFTER_S:
        endpoint.active = False
        endpoint.disabled_reason = (
            f"Disabled automatically on {now:%Y-%m-%d %H:%M} UTC: failing since "
            f"{endpoint.failing_since:%Y-%m-%d %H:%M} UTC; last error: {last.error or 'no answer'}"
        )[:300]
        _endpoint_disable(endpoint)


def _endpoint_disable(endpoint: WebhookEndpoint) -> None:
    """Turn the endpoint off and tell the organization's other endpoints (`webhook.endpoint_disabled`);
    of two workers disabling it at once, only the one that turned it off publishes."""
    with transaction.atomic():
        turned_off = WebhookEndpoint.objects.filter(pk=endpoint.pk, active=True).update(
            active=False, disabled_reason=endpoint.disabled_reason
        )
        if turned_off:
            payload = {
                "endpoint_id": endpoint.pk,
                "url": endpoint.url,
                "meeting_id": endpoint.meeting_id,
                "failing_since": endpoint.failing_since.isoformat().replace("+00:00", "Z"),
                "disabled_reason": endpoint.disabled_reason,
            }
            publish_organization_event(endpoint.organization_id, EventType.WEBHOOK_ENDPOINT_DISABLED, payload)
    log.warning("Webhook endpoint %s disabled: %s", endpoint.pk, endpoint.disabled_reason)
