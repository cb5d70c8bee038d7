"""Reads on webhook endpoints and deliveries, always scoped to one organization."""

from django.db.models import QuerySet

from accounts.models import Organization
from common.errors import NotFound
from meetings.models import Meeting
from webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoint_list(*, organization: Organization) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organization=organization, meeting__isnull=True).order_by("created_at")


def endpoint_get(*, organization: Organization, endpoint_id: str) -> WebhookEndpoint:
    endpoint = endpoint_list(organization=organization).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound(f"No webhook endpoint '{endpoint_id}' in your organization.")
    return endpoint


def delivery_list(*, endpoint: WebhookEndpoint, status: str | None = None) -> QuerySet[WebhookDelivery]:
    """The endpoint's deliveries, newest first, with their events and attempts."""
    deliveries = endpoint.deliveries.select_related("event").prefetch_related("attempt_log")
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-created_at", "-event__sequence")


def delivery_get(*, organization: Organization, delivery_id: str) -> WebhookDelivery:
    """A delivery of any of the organization's endpoints (organization-wide or a bot's webhook_url)."""
    delivery = (
        WebhookDelivery.objects.filter(endpoint__organization=organization, pk=delivery_id)
        .select_related("event", "endpoint")
        .first()
    )
    if delivery is None:
        raise NotFound(f"No webhook delivery '{delivery_id}' in your organization.")
    return delivery


def meeting_endpoints(*, meeting: Meeting) -> QuerySet[WebhookEndpoint]:
    """The endpoints of one meeting (a bot's `webhook_url`, a dialect's extra ones), oldest first."""
    return WebhookEndpoint.objects.filter(meeting=meeting).order_by("created_at", "id")
