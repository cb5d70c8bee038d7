"""Zoom OAuth connections: a Zoom user's grant, kept so that bots can join their meetings with a token
of theirs (a ZAK to join as them, an OBF token to join on their behalf), as Meeting BaaS's
zoom_oauth_connections do.

Zoom's protocol (developers.zoom.us, OAuth and "Get a user's token"): `POST {ZOOM_OAUTH_URL}/oauth/token`
with the app's client id and secret as Basic auth, `grant_type=authorization_code` (code, redirect_uri)
or `grant_type=refresh_token` (Zoom rotates the refresh token on each use); `GET
{ZOOM_API_URL}/v2/users/me` and `GET {ZOOM_API_URL}/v2/users/me/token?type=zak|onbehalf` with the access
token as Bearer. Both base URLs are settings, so tests run a local server speaking the same protocol.
"""

from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.crypto import secret_decrypt, secret_encrypt
from accounts.models import Organization, ZoomConnection
from common.errors import NotFound, NotulaError, ValidationError

TIMEOUT_S = 10
# An access token this close to its end is refreshed before use.
EXPIRY_MARGIN = timedelta(seconds=60)
TOKEN_TYPES = {"zak": "zak", "obf": "onbehalf"}


class ZoomUnavailable(NotulaError):
    """Zoom could not be asked, or refused: the message says which and what to do."""

    status_code = 502
    code = "zoom_unavailable"


def _oauth(data: dict) -> dict:
    auth = (settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET)
    try:
        response = requests.post(f"{settings.ZOOM_OAUTH_URL}/oauth/token", data=data, auth=auth, timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        raise ZoomUnavailable(f"Zoom's OAuth server could not be reached: {exc}") from exc
    body = _json(response)
    if response.status_code != 200 or "access_token" not in body:
        reason = body.get("reason") or body.get("error") or f"HTTP {response.status_code}"
        raise ZoomUnavailable(f"Zoom refused the {data['grant_type']} grant: {reason}.", code="zoom_refused")
    return body


def _api(path: str, access_token: str, params: dict | None = None) -> requests.Response:
    try:
        return requests.get(
            f"{settings.ZOOM_API_URL}{path}",
            params=params,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=TIMEOUT_S,
        )
    except requests.RequestException as exc:
        raise ZoomUnavailable(f"Zoom's API could not be reached: {exc}") from exc


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _store_tokens(connection: ZoomConnection, tokens: dict) -> None:
    connection.access_token_encrypted = secret_encrypt(tokens["access_token"])
    connection.refresh_token_encrypted = secret_encrypt(tokens.get("refresh_token") or "")
    connection.access_expires_at = timezone.now() + timedelta(seconds=int(tokens.get("expires_in", 3600)))
    connection.scopes = tokens.get("scope", connection.scopes or "")[:1000]
    connection.state, connection.failure_message = ZoomConnection.State.CONNECTED, ""


def zoom_connection_create(
    *, organization: Organization, authorization_code: str = "", redirect_uri: str = "", refresh_token: str = ""
) -> ZoomConnection:
    """Exchange a Zoom user's authorization code (or a refresh token) for tokens, ask Zoom who the user
    is, and keep the connection (one per Zoom user: a new grant replaces the old tokens)."""
    if bool(authorization_code) == bool(refresh_token):
        raise ValidationError(
            "Give either authorization_code (with its redirect_uri) or refresh_token.",
            fields={"authorization_code": ["give this or refresh_token"]},
        )
    if authorization_code:
        grant = {"grant_type": "authorization_code", "code": authorization_code, "redirect_uri": redirect_uri}
    else:
        grant = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    try:
        tokens = _oauth(grant)
    except ZoomUnavailable as exc:
        if exc.code != "zoom_refused":
            raise
        field = "authorization_code" if authorization_code else "refresh_token"
        raise ValidationError(exc.message, fields={field: [exc.message]}) from exc
    me = _api("/v2/users/me", tokens["access_token"])
    user = _json(me)
    if me.status_code != 200 or not user.get("id"):
        raise ZoomUnavailable(f"Zoom did not say who the user is (HTTP {me.status_code}).")
    with transaction.atomic():
        connection = ZoomConnection.objects.filter(organization=organization, zoom_user_id=user["id"]).first()
        connection = connection or ZoomConnection(organization=organization, zoom_user_id=str(user["id"]))
        connection.zoom_account_id = str(user.get("account_id") or "")
        connection.email = str(user.get("email") or "")[:254]
        _store_tokens(connection, tokens)
        connection.save()
    return connection


def zoom_connection_list(*, organization: Organization) -> QuerySet[ZoomConnection]:
    return ZoomConnection.objects.filter(organization=organization).order_by("-created_at")


def zoom_connection_get(*, organization: Organization, connection_id: str) -> ZoomConnection:
    connection = ZoomConnection.objects.filter(organization=organization, pk=connection_id).first()
    if connection is None:
        raise NotFound(f"No Zoom OAuth connection '{connection_id}' in your organization.")
    return connection


def _refresh(connection: ZoomConnection) -> str:
    refresh_token = secret_decrypt(connection.refresh_token_encrypted)
    try:
        tokens = _oauth({"grant_type": "refresh_token", "refresh_token": refresh_token})
    except ZoomUnavailable as exc:
        if exc.code == "zoom_refused":
            connection.state = ZoomConnection.State.REFRESH_FAILED
            connection.failure_message = exc.message[:500]
            connection.save(update_fields=["state", "failure_message", "updated_at"])
            raise ZoomUnavailable(
                f"The Zoom connection of {connection.email or connection.zoom_user_id} could not be refreshed "
                f"({exc.message}): the user must authorize Notula again (POST /api/v1/zoom_oauth_connections).",
                code="zoom_refused",
            ) from exc
        raise
    _store_tokens(connection, tokens)
    connection.save()
    return tokens["access_token"]


def zoom_connection_token(*, connection: ZoomConnection, kind: str) -> str:
    """A fresh ZAK (`kind` "zak") or OBF ("obf") token of the connection's user; refreshes the access
    token first when it is (nearly) expired, or when Zoom says it is no longer valid."""
    failure = None
    # One refresh at a time: Zoom rotates the refresh token, so a second concurrent refresh would fail.
    with transaction.atomic():
        connection = ZoomConnection.objects.select_for_update().get(pk=connection.pk)
        try:
            response = _token_response(connection, kind)
        except ZoomUnavailable as exc:
            failure = exc  # raised after the commit, so that a refused refresh stays recorded
    if failure is not None:
        raise failure
    token = _json(response).get("token")
    if response.status_code != 200 or not token:
        raise ZoomUnavailable(f"Zoom gave no {kind.upper()} token (HTTP {response.status_code}).")
    return str(token)


def _token_response(connection: ZoomConnection, kind: str) -> requests.Response:
    if connection.access_expires_at - EXPIRY_MARGIN <= timezone.now():
        access = _refresh(connection)
    else:
        access = secret_decrypt(connection.access_token_encrypted)
    response = _api("/v2/users/me/token", access, {"type": TOKEN_TYPES[kind]})
    if response.status_code == 401:
        response = _api("/v2/users/me/token", _refresh(connection), {"type": TOKEN_TYPES[kind]})
    return response


def zoom_connection_delete(*, connection: ZoomConnection) -> None:
    connection.delete()
