from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api import ApiView
from webhooks import selectors, services
from webhooks.api.serializers import (
    DeliveriesQuery,
    DeliveryPageSerializer,
    DeliverySerializer,
    EndpointCreatedSerializer,
    EndpointInput,
    EndpointSerializer,
    TestResultSerializer,
)


class EndpointListView(ApiView):
    @extend_schema(operation_id="webhooks_list", responses=EndpointSerializer(many=True))
    def get(self, request):
        endpoints = selectors.endpoint_list(organization=request.user.organization)
        return Response(EndpointSerializer(endpoints, many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        request=EndpointInput,
        responses={201: EndpointCreatedSerializer},
        examples=[
            OpenApiExample(
                "Bot status changes",
                value={"url": "https://hooks.example.com/notula", "event_types": ["bot.status_changed"]},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        data = EndpointInput(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(organization=request.user.organization, **data.validated_data)
        return Response(EndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailView(ApiView):
    def _get(self, request, endpoint_id: str):
        return selectors.endpoint_get(organization=request.user.organization, endpoint_id=endpoint_id)

    @extend_schema(operation_id="webhooks_retrieve", responses=EndpointSerializer)
    def get(self, request, endpoint_id: str):
        return Response(EndpointSerializer(self._get(request, endpoint_id)).data)

    @extend_schema(operation_id="webhooks_update", request=EndpointInput, responses=EndpointSerializer)
    def patch(self, request, endpoint_id: str):
        endpoint = self._get(request, endpoint_id)
        data = EndpointInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_update(endpoint=endpoint, **data.validated_data)
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(operation_id="webhooks_destroy", responses={204: None})
    def delete(self, request, endpoint_id: str):
        services.endpoint_delete(endpoint=self._get(request, endpoint_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointDeliveriesView(ApiView):
    query_params = {"get": DeliveriesQuery}

    @extend_schema(operation_id="webhooks_deliveries", parameters=[DeliveriesQuery], responses=DeliveryPageSerializer)
    def get(self, request, endpoint_id: str):
        endpoint = selectors.endpoint_get(organization=request.user.organization, endpoint_id=endpoint_id)
        limit, offset = self.query["limit"], self.query["offset"]
        deliveries = selectors.delivery_list(endpoint=endpoint, status=self.query.get("status"))
        page = deliveries[offset : offset + limit]
        return Response({"count": deliveries.count(), "results": DeliverySerializer(page, many=True).data})


class EndpointTestView(ApiView):
    @extend_schema(operation_id="webhooks_test", request=None, responses=TestResultSerializer)
    def post(self, request, endpoint_id: str):
        endpoint = selectors.endpoint_get(organization=request.user.organization, endpoint_id=endpoint_id)
        return Response(services.endpoint_send_test(endpoint=endpoint))


class DeliveryRedeliverView(ApiView):
    @extend_schema(operation_id="webhooks_redeliver", request=None, responses={202: DeliverySerializer})
    def post(self, request, delivery_id: str):
        delivery = selectors.delivery_get(organization=request.user.organization, delivery_id=delivery_id)
        delivery = services.delivery_redeliver(delivery=delivery)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
