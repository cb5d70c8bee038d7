"""API key authentication: `Authorization: Token|Bearer <key>` or `X-API-Key: <key>`."""

from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.settings import api_settings

from accounts.services import api_key_authenticate


class ApiKeyUser:
    """The request.user of a key-authenticated request: the key and its organization."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, api_key):
        self.api_key = api_key
        self.organization = api_key.organization
        self.pk = api_key.pk

    def __str__(self) -> str:
        return f"api-key {self.api_key.prefix}"


def raw_key_from_headers(headers) -> str | None:
    header = headers.get("Authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() in ("token", "bearer") and value.strip():
            return value.strip()
    for name in ("X-API-Key", "X-Meeting-Baas-Api-Key"):
        if headers.get(name):
            return headers[name].strip()
    return None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        raw = raw_key_from_headers(request.headers)
        if raw is None:
            return None
        api_key = api_key_authenticate(raw_key=raw)
        if api_key is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        return ApiKeyUser(api_key), api_key

    def authenticate_header(self, request):
        return 'Token realm="api"'


class HasApiKey(permissions.BasePermission):
    message = "Authentication required: send your API key as 'Authorization: Token <key>'."

    def has_permission(self, request, view):
        return isinstance(request.user, ApiKeyUser)


class ApiKeyRateThrottle(throttling.SimpleRateThrottle):
    """Per-key request rate (NOTULA_API_RATE_LIMIT); answers 429 with Retry-After."""

    scope = "api_key"

    def get_rate(self):
        # DRF copies the rates onto the class at import; read them per request so a changed setting applies.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def wait(self):
        # DRF gives no wait when more requests are on record than the rate now allows (a lowered
        # rate); a 429 still says when to come back: once enough of the recorded requests expire.
        wait = super().wait()
        if wait is None and self.history:
            oldest_to_expire = self.history[min(max(self.num_requests, 1), len(self.history)) - 1]
            wait = max(self.duration - (self.now - oldest_to_expire), 1)
        return wait

    def get_cache_key(self, request, view):
        if isinstance(request.user, ApiKeyUser):
            return f"throttle_key_{request.user.api_key.pk}"
        return None
