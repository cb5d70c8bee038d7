"""Meeting BaaS's Zoom OAuth connections (`/zoom_oauth_connections/...`) on Notula's own (accounts/zoom.py):
a Zoom user's authorization code becomes a stored connection whose `zoom_user_id` a bot names as
`zoom_obf_token_user_id`. Notula exchanges codes with its own Zoom app (NOTULA_ZOOM_CLIENT_ID and
_SECRET), so the app credentials a client sends must be that app's."""

from django.conf import settings
from rest_framework import serializers
from rest_framework.response import Response

from accounts import zoom
from common.errors import ValidationError
from common.inputs import StrictFieldsMixin
from compat.meetingbaas.ids import notula_id_from, uuid_for
from compat.meetingbaas.views import MeetingBaasView
from compat.times import iso_ms_z


class ConnectionInput(StrictFieldsMixin, serializers.Serializer):
    authorization_code = serializers.CharField(max_length=2000)
    redirect_uri = serializers.URLField(max_length=2000)
    zoom_client_id = serializers.CharField(max_length=200)
    zoom_client_secret = serializers.CharField(max_length=200)

    def validate(self, attrs):
        for name, configured in (
            ("zoom_client_id", settings.ZOOM_CLIENT_ID),
            ("zoom_client_secret", settings.ZOOM_CLIENT_SECRET),
        ):
            if not configured or attrs[name] != configured:
                raise serializers.ValidationError(
                    {name: ["must be this server's Zoom app (NOTULA_ZOOM_CLIENT_ID / NOTULA_ZOOM_CLIENT_SECRET)"]}
                )
        return attrs


def shape(connection) -> dict:
    failed = connection.state != connection.State.CONNECTED
    return {
        "uuid": uuid_for(connection.id),
        "zoom_user_id": connection.zoom_user_id,
        "zoom_account_id": connection.zoom_account_id or None,
        "scopes": connection.scopes or None,
        "state": connection.state,
        "connection_failure_data": {"message": connection.failure_message} if failed else None,
        "created_at": iso_ms_z(connection.created_at),
        "updated_at": iso_ms_z(connection.updated_at),
    }


class ZoomView(MeetingBaasView):
    def connection_for(self, given: str):
        connection_id = notula_id_from("zoc", given)
        return zoom.zoom_connection_get(organization=self.request.user.organization, connection_id=connection_id)


class ConnectionsView(ZoomView):
    def get(self, request):
        return Response([shape(c) for c in zoom.zoom_connection_list(organization=request.user.organization)])

    def post(self, request):
        data = ConnectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        connection = zoom.zoom_connection_create(
            organization=request.user.organization,
            authorization_code=given["authorization_code"],
            redirect_uri=given["redirect_uri"],
        )
        if uuid_for(connection.id) is None:
            # A connection made before ids stood for UUIDs cannot be named in this API.
            raise ValidationError("This Zoom user's connection predates this API; delete it natively first.")
        return Response(shape(connection), status=201)


class ConnectionView(ZoomView):
    def get(self, request, uuid: str):
        return Response(shape(self.connection_for(uuid)))

    def delete(self, request, uuid: str):
        zoom.zoom_connection_delete(connection=self.connection_for(uuid))
        return Response(status=204)
