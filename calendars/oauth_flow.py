"""Connecting from the dashboard: Notula's own OAuth app asks the user's consent at the provider and the
provider sends them back with a code (RFC 6749 section 4.1), exchanged here for a refresh token.

Google: NOTULA_GOOGLE_OAUTH_URL with `access_type=offline` and `prompt=consent` (so that a refresh
token is issued), scope `calendar.readonly`. Microsoft identity platform v2: NOTULA_MICROSOFT_LOGIN_URL
+ `/oauth2/v2.0/authorize`, scopes `offline_access Calendars.Read User.Read`. `state` is a random value
kept in the session and checked on the way back.
"""

import secrets
from urllib.parse import urlencode

from django.conf import settings

from accounts.models import Organization
from calendars.connect import calendar_create
from calendars.models import Calendar
from calendars.providers.oauth import oauth_grant
from calendars.providers.registry import provider_identify
from calendars.sync import calendar_sync
from common.errors import ValidationError

GOOGLE_SCOPES = "openid email https://www.googleapis.com/auth/calendar.readonly"
MICROSOFT_SCOPES = "offline_access Calendars.Read User.Read"


def _client(provider: str) -> tuple[str, str]:
    if provider == Calendar.Provider.GOOGLE:
        return settings.GOOGLE_CLIENT_ID, settings.GOOGLE_CLIENT_SECRET
    return settings.MICROSOFT_CLIENT_ID, settings.MICROSOFT_CLIENT_SECRET


def oauth_available(provider: str) -> bool:
    return all(_client(provider))


def consent_url(provider: str, *, redirect_uri: str) -> tuple[str, str]:
    """(the provider's consent page, the state to keep in the session)."""
    state = secrets.token_urlsafe(24)
    client_id, _ = _client(provider)
    common = {"client_id": client_id, "redirect_uri": redirect_uri, "response_type": "code", "state": state}
    if provider == Calendar.Provider.GOOGLE:
        query = {**common, "scope": GOOGLE_SCOPES, "access_type": "offline", "prompt": "consent"}
        return f"{settings.GOOGLE_OAUTH_URL}?{urlencode(query)}", state
    query = {**common, "scope": MICROSOFT_SCOPES, "response_mode": "query"}
    return f"{settings.MICROSOFT_LOGIN_URL}/oauth2/v2.0/authorize?{urlencode(query)}", state


def consent_finish(*, organization: Organization, provider: str, code: str, redirect_uri: str, owner=None) -> Calendar:
    """Exchange the code the provider sent back and connect the user's calendar."""
    client_id, client_secret = _client(provider)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "client_secret": client_secret,
    }
    if provider == Calendar.Provider.GOOGLE:
        token_url, label = settings.GOOGLE_TOKEN_URL, "Google"
    else:
        token_url, label = f"{settings.MICROSOFT_LOGIN_URL}/oauth2/v2.0/token", "Microsoft"
        form["scope"] = MICROSOFT_SCOPES
    tokens = oauth_grant(token_url, form, label=label)
    if not tokens.get("refresh_token"):
        raise ValidationError(f"{label} gave no refresh token; allow offline access and try again.")
    credentials = {"refresh_token": tokens["refresh_token"], "client_id": client_id, "client_secret": client_secret}
    identity = provider_identify(provider, credentials)
    calendar = calendar_create(
        organization=organization,
        provider=provider,
        credentials=identity.credentials,
        name=identity.name,
        email=identity.email,
        provider_calendar_id=identity.calendar_id,
        owner=owner,
        sync_now=True,
    )
    calendar_sync(calendar.id, force=True)
    calendar.refresh_from_db()
    return calendar
