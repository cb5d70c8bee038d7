"""Meemo's OAuth 2 client credentials onto Notula's API keys: `client_id` is the key's visible prefix,
`client_secret` the key. The access token is signed (Django's signing, with SECRET_KEY), names the key
by its id, never holds the key, and expires after three hours, as Meemo's do; a revoked one is kept in
the cache until it would have expired anyway. Revoking the API key ends its tokens at once."""

import hashlib

from django.core import signing
from django.core.cache import cache
from rest_framework import authentication, exceptions, permissions

from accounts.authentication import ApiKeyUser
from accounts.models import ApiKey
from accounts.services import api_key_authenticate

LIFETIME_S = 3 * 3600
SCOPE = "read write"
_SALT = "compat.meemo.access-token"


def _revoked_key(token: str) -> str:
    return "meemo-revoked:" + hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, client_id: str, client_secret: str) -> dict | None:
    """The token answer for a key and its prefix, or None when they do not name one active key."""
    api_key = api_key_authenticate(raw_key=client_secret)
    if api_key is None or api_key.prefix != client_id:
        return None
    token = signing.dumps({"key": api_key.pk}, salt=_SALT, compress=False)
    return {"access_token": token, "token_type": "Bearer", "expires_in": LIFETIME_S, "scope": SCOPE}


def token_key(token: str) -> ApiKey | None:
    """The active key a live token was issued for, or None (forged, expired, revoked, key revoked)."""
    try:
        claims = signing.loads(token, salt=_SALT, max_age=LIFETIME_S)
    except signing.BadSignature:
        return None
    if not isinstance(claims, dict) or cache.get(_revoked_key(token)):
        return None
    return ApiKey.objects.select_related("organization").filter(pk=claims.get("key"), revoked_at=None).first()


def token_revoke(*, client_id: str, client_secret: str, token: str) -> bool:
    """Revoke a token of this client's; False when the client is not one."""
    api_key = api_key_authenticate(raw_key=client_secret)
    if api_key is None or api_key.prefix != client_id:
        return False
    owner = token_key(token)
    if owner is not None and owner.pk == api_key.pk:
        cache.set(_revoked_key(token), True, LIFETIME_S)
    return True  # RFC 7009: an unknown or foreign token is answered the same way


class MeemoTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <access token>`: the token, not the key, as Meemo's clients send it."""

    def authenticate(self, request):
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None
        api_key = token_key(value.strip())
        if api_key is None:
            raise exceptions.AuthenticationFailed("Invalid or expired access token; request a new one.")
        return ApiKeyUser(api_key), api_key

    def authenticate_header(self, request):
        return 'Bearer realm="meemo"'


class HasAccessToken(permissions.BasePermission):
    message = "Authentication required: send 'Authorization: Bearer <access token>' from POST /api/auth/token/."

    def has_permission(self, request, view):
        return isinstance(request.user, ApiKeyUser)
