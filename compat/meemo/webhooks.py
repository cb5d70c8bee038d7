"""Meemo's webhooks onto Notula's webhook endpoints (format `meemo`, one per organization asked for)
and their delivery records, which Meemo calls webhook events."""

from rest_framework import status
from rest_framework.response import Response

from common.errors import NotFound
from compat.meemo.ids import meemo_id, notula_of
from compat.meemo.inputs import CreateWebhookInput, PageOnlyQuery, WebhookEventsQuery
from compat.meemo.queries import organization_check, page_of
from compat.meemo.views import MeemoView
from compat.meemo.webhook_events import MEEMO_OF, NOTULA_OF
from compat.times import iso_ms_z
from webhooks import selectors, services
from webhooks.models import WebhookDelivery, WebhookEndpoint

FORMAT = "meemo"


def webhook(endpoint: WebhookEndpoint) -> dict:
    failed = endpoint.deliveries.filter(status=WebhookDelivery.Status.FAILED)
    last = failed.order_by("-created_at").first()
    return {
        "id": meemo_id(endpoint.id),
        "target_url": endpoint.url,
        "secret_key": endpoint.secret,
        "events": [MEEMO_OF[name] for name in endpoint.event_types if name in MEEMO_OF] or list(NOTULA_OF),
        "is_active": endpoint.active,
        "description": endpoint.description,
        "created_at": iso_ms_z(endpoint.created_at),
        "organization_id": meemo_id(endpoint.organization_id),
        "failure_count": failed.count(),
        "last_failure_reason": endpoint.disabled_reason or (last.last_error if last else ""),
    }


def webhook_event(delivery: WebhookDelivery) -> dict:
    return {
        "id": meemo_id(delivery.id),
        "webhook_id": meemo_id(delivery.endpoint_id),
        "event_uuid": delivery.event_id,
        "event_type": MEEMO_OF.get(delivery.event.type, delivery.event.type),
        "status": delivery.status,
        "response_status": delivery.last_status_code or 0,
        "attempt_count": delivery.attempts,
        "created_at": iso_ms_z(delivery.created_at),
    }


class _WebhookView(MeemoView):
    field_names = {"url": "target_url", "event_types": "events"}

    def endpoints(self):
        return selectors.endpoint_list(organization=self.request.user.organization).filter(format=FORMAT)

    def endpoint(self, webhook_id: str) -> WebhookEndpoint:
        endpoint = self.endpoints().filter(pk=notula_of("whe", webhook_id, what="webhook")).first()
        if endpoint is None:
            raise NotFound(f"No webhook with id {webhook_id}.")
        return endpoint


class WebhooksView(_WebhookView):
    query_params = {"get": PageOnlyQuery}

    def get(self, request):
        return Response(page_of(request, self.endpoints(), self.query, webhook))

    def post(self, request):
        data = CreateWebhookInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        for organization_id in given["organization_ids"]:
            organization_check(request.user.organization, organization_id)
        created = services.endpoint_create(
            organization=request.user.organization,
            url=given["target_url"],
            event_types=[NOTULA_OF[name] for name in dict.fromkeys(given["events"])],
            format=FORMAT,
            description=given.get("description") or "",
        )
        # The organizations asked for are all the caller's one: one webhook answers for them.
        return Response([webhook(created)], status=status.HTTP_201_CREATED)


class WebhookView(_WebhookView):
    def get(self, request, webhook_id: str):
        return Response(webhook(self.endpoint(webhook_id)))

    def delete(self, request, webhook_id: str):
        services.endpoint_delete(endpoint=self.endpoint(webhook_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookEventsView(_WebhookView):
    query_params = {"get": WebhookEventsQuery}

    def deliveries(self):
        return (
            WebhookDelivery.objects.filter(endpoint__in=self.endpoints())
            .select_related("event")
            .order_by("-created_at", "-pk")
        )

    def get(self, request):
        deliveries = self.deliveries()
        if self.query.get("webhook_id"):
            deliveries = deliveries.filter(endpoint=self.endpoint(self.query["webhook_id"]))
        return Response(page_of(request, deliveries, self.query, webhook_event))


class WebhookEventView(WebhookEventsView):
    query_params: dict = {}

    def get(self, request, event_id: str):
        delivery = self.deliveries().filter(pk=notula_of("dlv", event_id, what="webhook event")).first()
        if delivery is None:
            raise NotFound(f"No webhook event with id {event_id}.")
        return Response(webhook_event(delivery))
