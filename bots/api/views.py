import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from bots import selectors, services
from bots.api.serializers import BotCreateInput, BotDetailSerializer, BotSerializer, BotUpdateInput
from bots.models import BotStatus, EndFault, EndReason
from common.api import CreatedCursorPagination
from common.errors import ValidationError
from common.schema import error_response
from meetings.models import Platform

METADATA_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _csv(request, name: str, allowed) -> list[str]:
    values = [v for raw in request.query_params.getlist(name) for v in raw.split(",") if v]
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValidationError(
            f"Unknown {name} {bad}; use one of {sorted(allowed)}.", fields={name: [f"unknown value {bad[0]!r}"]}
        )
    return values


def _datetime(request, name: str):
    from django.utils.dateparse import parse_datetime

    raw = request.query_params.get(name)
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))
    if value is None:
        raise ValidationError(f"{name} must be an ISO 8601 date-time.", fields={name: ["not an ISO 8601 date-time"]})
    return value


def bot_filters(request) -> dict:
    metadata = {}
    for key, value in request.query_params.items():
        if key.startswith("metadata."):
            name = key[len("metadata.") :]
            if not METADATA_KEY.match(name):
                raise ValidationError(f"Bad metadata filter '{key}'.", fields={key: ["letters, digits, _ and -"]})
            metadata[name] = value
    return {
        "status": _csv(request, "status", BotStatus.values),
        "platform": _csv(request, "platform", Platform.values),
        "end_fault": _csv(request, "end_fault", EndFault.values),
        "end_reason": _csv(request, "end_reason", EndReason.values),
        "meeting_url": request.query_params.get("meeting_url"),
        "created_after": _datetime(request, "created_after"),
        "created_before": _datetime(request, "created_before"),
        "metadata": metadata,
    }


LIST_PARAMETERS = [
    OpenApiParameter("status", OpenApiTypes.STR, description="comma-separated statuses"),
    OpenApiParameter("platform", OpenApiTypes.STR, description="comma-separated platforms"),
    OpenApiParameter("end_fault", OpenApiTypes.STR, description="comma-separated: host, platform, notula"),
    OpenApiParameter("end_reason", OpenApiTypes.STR, description="comma-separated end reasons"),
    OpenApiParameter("meeting_url", OpenApiTypes.STR),
    OpenApiParameter("created_after", OpenApiTypes.DATETIME),
    OpenApiParameter("created_before", OpenApiTypes.DATETIME),
    OpenApiParameter("metadata.<key>", OpenApiTypes.STR, description="bots whose metadata[key] equals the value"),
    OpenApiParameter("cursor", OpenApiTypes.STR, description="the `next` or `previous` link's cursor"),
    OpenApiParameter("limit", OpenApiTypes.INT, description="page size, 1-200 (default 50)"),
]


class BotListView(APIView):
    pagination_class = CreatedCursorPagination

    @extend_schema(operation_id="bots_list", parameters=LIST_PARAMETERS, responses=BotSerializer(many=True))
    def get(self, request):
        qs = selectors.bot_list(organization=request.user.organization, filters=bot_filters(request))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(BotSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="bots_create",
        request=BotCreateInput,
        responses={201: BotSerializer, 409: error_response(409)},
    )
    def post(self, request):
        data = BotCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        bot = services.bot_create(
            organization=request.user.organization, api_key=request.user.api_key, **data.validated_data
        )
        return Response(BotSerializer(bot, context={"request": request}).data, status=status.HTTP_201_CREATED)


class BotDetailView(APIView):
    @extend_schema(operation_id="bots_retrieve", responses=BotDetailSerializer)
    def get(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        return Response(BotDetailSerializer(bot, context={"request": request}).data)

    @extend_schema(
        operation_id="bots_update",
        request=BotUpdateInput,
        responses={200: BotSerializer, 409: error_response(409)},
    )
    def patch(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        data = BotUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        bot = services.bot_update(bot=bot, **data.validated_data)
        return Response(BotSerializer(bot, context={"request": request}).data)

    @extend_schema(operation_id="bots_destroy", responses={204: None, 409: error_response(409)})
    def delete(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        services.bot_delete(bot=bot)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BotLeaveView(APIView):
    @extend_schema(
        operation_id="bots_leave",
        request=None,
        responses={202: BotSerializer, 409: error_response(409)},
    )
    def post(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        bot = services.bot_request_leave(bot=bot)
        return Response(BotSerializer(bot, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)
