import re

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api import ApiView
from bots import selectors, services
from bots.api.serializers import BotCreateInput, BotDetailSerializer, BotListQuery, BotSerializer, BotUpdateInput
from common.api import CreatedCursorPagination
from common.errors import ValidationError
from common.schema import error_response

METADATA_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def bot_filters(query: dict) -> dict:
    metadata = {}
    for key, value in query.pop("extra", {}).items():
        name = key[len("metadata.") :]
        if not METADATA_KEY.match(name):
            raise ValidationError(f"Bad metadata filter '{key}'.", fields={key: ["letters, digits, _ and -"]})
        metadata[name] = value
    query.pop("cursor", None)
    query.pop("limit", None)
    return {**query, "metadata": metadata}


LIST_DESCRIPTION = (
    "Newest first, a page at a time (`next` / `previous` links). Filters combine with AND; "
    "`metadata.<key>=<value>` (any number of them) keeps bots whose metadata has that key with that value, "
    'as a string, a number or a boolean (`metadata.deal=42` matches `"42"` and `42`).'
)


class BotListView(ApiView):
    pagination_class = CreatedCursorPagination
    query_params = {"get": BotListQuery}

    @extend_schema(
        operation_id="bots_list",
        parameters=[BotListQuery],
        responses=BotSerializer(many=True),
        description=LIST_DESCRIPTION,
    )
    def get(self, request):
        qs = selectors.bot_list(organization=request.user.organization, filters=bot_filters(self.query))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(BotSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="bots_create",
        request=BotCreateInput,
        responses={201: BotSerializer, 409: error_response(409)},
        examples=[
            OpenApiExample(
                "Join now", value={"meeting_url": "https://meet.google.com/abc-defg-hij"}, request_only=True
            ),
            OpenApiExample(
                "Scheduled, with settings",
                value={
                    "meeting_url": "https://zoom.us/j/81234567890",
                    "bot_name": "Notula",
                    "join_at": "2099-06-01T09:30:00Z",
                    "transcription": {"model": "base", "language": "de"},
                    "automatic_leave": {"waiting_room_timeout": 300, "silence_timeout": 0},
                    "metadata": {"deal": "42"},
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request):
        data = BotCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        bot = services.bot_create(
            organization=request.user.organization, api_key=request.user.api_key, **data.validated_data
        )
        return Response(BotSerializer(bot, context={"request": request}).data, status=status.HTTP_201_CREATED)


class BotDetailView(ApiView):
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


class BotLeaveView(ApiView):
    @extend_schema(
        operation_id="bots_leave",
        request=None,
        responses={202: BotSerializer, 409: error_response(409)},
    )
    def post(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        bot = services.bot_request_leave(bot=bot)
        return Response(BotSerializer(bot, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)
