"""Stored bot accounts, Zoom OAuth connections and cloud transcription keys: POST, GET, DELETE.
Passwords, tokens and keys go in and never come out."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts import bot_accounts, transcription_keys, zoom
from accounts.api.base import ApiView
from accounts.api.serializers import (
    BotAccountInput,
    BotAccountSerializer,
    TranscriptionKeyInput,
    TranscriptionKeySerializer,
    ZoomConnectionInput,
    ZoomConnectionSerializer,
)
from common.schema import error_response


class BotAccountListView(ApiView):
    @extend_schema(operation_id="bot_accounts_list", responses=BotAccountSerializer(many=True))
    def get(self, request):
        accounts = bot_accounts.bot_account_list(organization=request.user.organization)
        return Response(BotAccountSerializer(accounts, many=True).data)

    @extend_schema(
        operation_id="bot_accounts_create",
        request=BotAccountInput,
        responses={201: BotAccountSerializer, 409: error_response(409)},
    )
    def post(self, request):
        data = BotAccountInput(data=request.data)
        data.is_valid(raise_exception=True)
        account = bot_accounts.bot_account_create(organization=request.user.organization, **data.validated_data)
        return Response(BotAccountSerializer(account).data, status=status.HTTP_201_CREATED)


class BotAccountDetailView(ApiView):
    @extend_schema(operation_id="bot_accounts_retrieve", responses=BotAccountSerializer)
    def get(self, request, account_id: str):
        account = bot_accounts.bot_account_get(organization=request.user.organization, account_id=account_id)
        return Response(BotAccountSerializer(account).data)

    @extend_schema(operation_id="bot_accounts_destroy", responses={204: None, 409: error_response(409)})
    def delete(self, request, account_id: str):
        account = bot_accounts.bot_account_get(organization=request.user.organization, account_id=account_id)
        bot_accounts.bot_account_delete(account=account)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ZoomConnectionListView(ApiView):
    @extend_schema(operation_id="zoom_oauth_connections_list", responses=ZoomConnectionSerializer(many=True))
    def get(self, request):
        connections = zoom.zoom_connection_list(organization=request.user.organization)
        return Response(ZoomConnectionSerializer(connections, many=True).data)

    @extend_schema(
        operation_id="zoom_oauth_connections_create",
        request=ZoomConnectionInput,
        responses={201: ZoomConnectionSerializer, 502: error_response(502)},
    )
    def post(self, request):
        data = ZoomConnectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        connection = zoom.zoom_connection_create(organization=request.user.organization, **data.validated_data)
        return Response(ZoomConnectionSerializer(connection).data, status=status.HTTP_201_CREATED)


class ZoomConnectionDetailView(ApiView):
    @extend_schema(operation_id="zoom_oauth_connections_retrieve", responses=ZoomConnectionSerializer)
    def get(self, request, connection_id: str):
        connection = zoom.zoom_connection_get(organization=request.user.organization, connection_id=connection_id)
        return Response(ZoomConnectionSerializer(connection).data)

    @extend_schema(operation_id="zoom_oauth_connections_destroy", responses={204: None})
    def delete(self, request, connection_id: str):
        connection = zoom.zoom_connection_get(organization=request.user.organization, connection_id=connection_id)
        zoom.zoom_connection_delete(connection=connection)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TranscriptionKeyListView(ApiView):
    @extend_schema(operation_id="transcription_keys_list", responses=TranscriptionKeySerializer(many=True))
    def get(self, request):
        keys = transcription_keys.transcription_key_list(organization=request.user.organization)
        return Response(TranscriptionKeySerializer(keys, many=True).data)

    @extend_schema(
        operation_id="transcription_keys_create",
        request=TranscriptionKeyInput,
        responses={201: TranscriptionKeySerializer},
        description="Store the organization's key for a provider (replacing the stored one); its bots that "
        "give no transcription.api_key use it.",
    )
    def post(self, request):
        data = TranscriptionKeyInput(data=request.data)
        data.is_valid(raise_exception=True)
        key = transcription_keys.transcription_key_set(organization=request.user.organization, **data.validated_data)
        return Response(TranscriptionKeySerializer(key).data, status=status.HTTP_201_CREATED)


class TranscriptionKeyDetailView(ApiView):
    @extend_schema(operation_id="transcription_keys_destroy", responses={204: None})
    def delete(self, request, provider: str):
        transcription_keys.transcription_key_delete(organization=request.user.organization, provider=provider)
        return Response(status=status.HTTP_204_NO_CONTENT)
