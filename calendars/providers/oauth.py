"""OAuth 2 for Google and Microsoft calendars: the refresh-token grant (RFC 6749 section 6), the
authorization-code grant (section 4.1), and the provider's API called with the access token.

The provider's token endpoint and API are settings (a local server speaking the same protocol in tests),
not user-given URLs, so they are called directly. A refresh token the provider refuses
(`invalid_grant`: revoked, expired, the password changed) disconnects the calendar. Microsoft rotates
refresh tokens: the new one is kept each time; Google usually keeps the old one, which then stays.
"""

from datetime import UTC, datetime, timedelta

import requests

from calendars.providers import GrantRevoked, ProviderError, RateLimited

TIMEOUT_S = 15
EXPIRY_MARGIN_S = 60


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def oauth_grant(token_url: str, form: dict, *, label: str) -> dict:
    """POST a grant to the token endpoint; answers its JSON, or raises GrantRevoked / ProviderError."""
    try:
        response = requests.post(token_url, data=form, timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        raise ProviderError(f"{label}'s token endpoint could not be reached: {type(exc).__name__}.") from exc
    body = _json(response)
    if response.status_code == 200 and body.get("access_token"):
        return body
    error = str(body.get("error") or f"HTTP {response.status_code}")
    if error in ("invalid_grant", "invalid_client", "unauthorized_client"):
        raise GrantRevoked(f"{label} refused the grant ({error}): connect the calendar again.")
    raise ProviderError(f"{label}'s token endpoint answered {error}.")


def tokens_keep(credentials: dict, tokens: dict) -> dict:
    """The credentials with a grant's answer in them (a rotated refresh token replaces the old one)."""
    expires = datetime.now(UTC) + timedelta(seconds=int(tokens.get("expires_in") or 3600))
    return {
        **credentials,
        "access_token": tokens["access_token"],
        "access_expires_at": expires.isoformat(),
        "refresh_token": tokens.get("refresh_token") or credentials.get("refresh_token", ""),
    }


def access_token_fresh(credentials: dict) -> bool:
    expires = credentials.get("access_expires_at")
    if not credentials.get("access_token") or not expires:
        return False
    return datetime.fromisoformat(expires) > datetime.now(UTC) + timedelta(seconds=EXPIRY_MARGIN_S)


def api_call(method: str, url: str, *, token: str, label: str, **kwargs) -> requests.Response:
    """One API request. A 429 (or 503) is RateLimited with the provider's Retry-After."""
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    try:
        response = requests.request(method, url, headers=headers, timeout=TIMEOUT_S, **kwargs)
    except requests.RequestException as exc:
        raise ProviderError(f"{label} could not be reached: {type(exc).__name__}.") from exc
    if response.status_code in (429, 503):
        retry_after = response.headers.get("Retry-After", "")
        seconds = float(retry_after) if retry_after.replace(".", "", 1).isdigit() else 30.0
        raise RateLimited(f"{label} asked to slow down (HTTP {response.status_code}).", seconds)
    return response


def api_json(response: requests.Response, *, label: str) -> dict:
    body = _json(response)
    if response.status_code >= 400:
        error = body.get("error")
        message = error.get("message") if isinstance(error, dict) else error
        raise ProviderError(f"{label} answered HTTP {response.status_code}: {message or 'no reason given'}.")
    return body
