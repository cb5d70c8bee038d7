from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.errors import NotFound
from webhooks import services
from webhooks.api.serializers import EndpointCreatedSerializer, EndpointInput, EndpointSerializer
from webhooks.models import WebhookEndpoint


def _endpoint(request, endpoint_id: str) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(
        organization=request.user.organization, meeting__isnull=True, pk=endpoint_id
    ).first()
    if endpoint is None:
        raise NotFound(f"No webhook endpoint '{endpoint_id}' in your organization.")
    return endpoint


class EndpointListView(APIView):
    @extend_schema(operation_id="webhooks_list", responses=EndpointSerializer(many=True))
    def get(self, request):
        endpoints = WebhookEndpoint.objects.filter(
            organization=request.user.organization, meeting__isnull=True
        ).order_by("created_at")
        return Response(EndpointSerializer(endpoints, many=True).data)

    @extend_schema(operation_id="webhooks_create", request=EndpointInput, responses={201: EndpointCreatedSerializer})
    def post(self, request):
        data = EndpointInput(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(organization=request.user.organization, **data.validated_data)
        return Response(EndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailView(APIView):
    @extend_schema(operation_id="webhooks_retrieve", responses=EndpointSerializer)
    def get(self, request, endpoint_id: str):
        return Response(EndpointSerializer(_endpoint(request, endpoint_id)).data)

    @extend_schema(operation_id="webhooks_update", request=EndpointInput, responses=EndpointSerializer)
    def patch(self, request, endpoint_id: str):
        endpoint = _endpoint(request, endpoint_id)
        data = EndpointInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_update(endpoint=endpoint, **data.validated_data)
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(operation_id="webhooks_destroy", responses={204: None})
    def delete(self, request, endpoint_id: str):
        services.endpoint_delete(endpoint=_endpoint(request, endpoint_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
