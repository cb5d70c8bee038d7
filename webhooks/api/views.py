from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.errors import ValidationError
from webhooks import selectors, services
from webhooks.api.serializers import (
    DeliveryPageSerializer,
    DeliverySerializer,
    EndpointCreatedSerializer,
    EndpointInput,
    EndpointSerializer,
    TestResultSerializer,
)
from webhooks.models import WebhookDelivery

MAX_LIMIT = 200


def _int_param(request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit():
        raise ValidationError(f"'{name}' must be a non-negative integer.", fields={name: ["not an integer"]})
    return min(int(raw), maximum)


class EndpointListView(APIView):
    @extend_schema(operation_id="webhooks_list", responses=EndpointSerializer(many=True))
    def get(self, request):
        endpoints = selectors.endpoint_list(organization=request.user.organization)
        return Response(EndpointSerializer(endpoints, many=True).data)

    @extend_schema(operation_id="webhooks_create", request=EndpointInput, responses={201: EndpointCreatedSerializer})
    def post(self, request):
        data = EndpointInput(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(organization=request.user.organization, **data.validated_data)
        return Response(EndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailView(APIView):
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


class EndpointDeliveriesView(APIView):
    @extend_schema(
        operation_id="webhooks_deliveries",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=WebhookDelivery.Status.values),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"at most {MAX_LIMIT}, default 50"),
            OpenApiParameter("offset", OpenApiTypes.INT),
        ],
        responses=DeliveryPageSerializer,
    )
    def get(self, request, endpoint_id: str):
        endpoint = selectors.endpoint_get(organization=request.user.organization, endpoint_id=endpoint_id)
        wanted = request.query_params.get("status")
        if wanted and wanted not in WebhookDelivery.Status.values:
            raise ValidationError(f"Unknown status '{wanted}'.", fields={"status": ["unknown status"]})
        limit = _int_param(request, "limit", 50, MAX_LIMIT)
        offset = _int_param(request, "offset", 0, 10**9)
        deliveries = selectors.delivery_list(endpoint=endpoint, status=wanted)
        page = deliveries[offset : offset + limit]
        return Response({"count": deliveries.count(), "results": DeliverySerializer(page, many=True).data})


class EndpointTestView(APIView):
    @extend_schema(operation_id="webhooks_test", request=None, responses=TestResultSerializer)
    def post(self, request, endpoint_id: str):
        endpoint = selectors.endpoint_get(organization=request.user.organization, endpoint_id=endpoint_id)
        return Response(services.endpoint_send_test(endpoint=endpoint))


class DeliveryRedeliverView(APIView):
    @extend_schema(operation_id="webhooks_redeliver", request=None, responses={202: DeliverySerializer})
    def post(self, request, delivery_id: str):
        delivery = selectors.delivery_get(organization=request.user.organization, delivery_id=delivery_id)
        delivery = services.delivery_redeliver(delivery=delivery)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
