"""Stored bot accounts: POST, GET (list and one), DELETE. Passwords go in and never come out."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts import bot_accounts
from accounts.api.base import ApiView
from accounts.api.serializers import BotAccountInput, BotAccountSerializer
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
