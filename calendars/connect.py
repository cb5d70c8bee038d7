"""Connecting a calendar, changing its rules, disconnecting it.

From the API (`POST /api/v1/calendars`, as Meeting BaaS does): an ICS URL, or a Google / Microsoft
refresh token with the OAuth client's id and secret (the integrator ran the consent). From the
dashboard: the provider's consent through Notula's own OAuth app (calendars/oauth_flow.py), which ends
here with the tokens. Every calendar is read once at once (sync.py).
"""

from typing import Any, NoReturn

from django.db import transaction

from accounts.models import Organization
from calendars.credentials import credentials_write
from calendars.models import Calendar
from calendars.notices import notice_updated
from common import net
from common.errors import ValidationError

RULE_FIELDS = ("auto_schedule", "only_accepted", "only_internal", "internal_domains", "skip_titles", "bot_name")


def _refuse(field: str, message: str) -> NoReturn:
    raise ValidationError(f"{field}: {message}", fields={field: [message]})


def _check_rules(rules: dict) -> dict:
    for name in ("internal_domains", "skip_titles"):
        if name in rules:
            values = rules[name]
            if not isinstance(values, list) or not all(isinstance(v, str) and 0 < len(v) <= 200 for v in values):
                _refuse(name, "a list of non-empty strings of at most 200 characters")
            rules[name] = [v.strip().lower() if name == "internal_domains" else v.strip() for v in values]
    return rules


@transaction.atomic
def calendar_create(
    *,
    organization: Organization,
    provider: str,
    credentials: dict,
    name: str = "",
    email: str = "",
    provider_calendar_id: str = "",
    owner: Any = None,
    rules: dict | None = None,
    sync_now: bool = False,
) -> Calendar:
    """Keep a calendar whose credentials were checked (or, for ICS, whose URL is acceptable), and read
    it after commit; `sync_now`: the caller reads it in this request (the dashboard shows the meetings
    at once)."""
    if provider == Calendar.Provider.ICS:
        problem = net.url_problem(credentials.get("ics_url", ""), subject="ics_url")
        if problem:
            _refuse("ics_url", problem)
    rules = _check_rules(dict(rules or {}))
    calendar = _reconnecting(organization, provider, email, provider_calendar_id)
    if calendar is None:
        calendar = Calendar(
            organization=organization,
            provider=provider,
            name=name[:200],
            email=email[:254],
            provider_calendar_id=provider_calendar_id,
            owner=owner,
            **rules,
        )
    else:
        for field, value in rules.items():
            setattr(calendar, field, value)
    credentials_write(calendar, credentials)
    calendar.save()
    notice_updated(calendar, ["connected"])
    if not sync_now:
        _sync_after_commit(calendar.id)
    return calendar


def _reconnecting(organization: Organization, provider: str, email: str, calendar_id: str) -> Calendar | None:
    """A Google or Microsoft calendar connected again (a new grant after a revoked one) is the same
    calendar: its events, bots and rules stay, and it is read whole again."""
    if provider == Calendar.Provider.ICS or not email:
        return None
    calendar = (
        Calendar.objects.select_for_update()
        .filter(organization=organization, provider=provider, email=email, provider_calendar_id=calendar_id)
        .first()
    )
    if calendar is not None:
        calendar.state, calendar.state_reason, calendar.sync_token = Calendar.State.CONNECTED, "", ""
    return calendar


def _sync_after_commit(calendar_id: str) -> None:
    from calendars.tasks import sync_calendar

    transaction.on_commit(lambda: sync_calendar.delay(calendar_id, force=True))


@transaction.atomic
def calendar_update(*, calendar: Calendar, **changes: Any) -> Calendar:
    """Change a calendar's name or rules; its events' bots follow at once."""
    unknown = set(changes) - {*RULE_FIELDS, "name"}
    if unknown:
        _refuse(sorted(unknown)[0], "cannot be changed")
    _check_rules(changes)
    changed = [k for k, v in changes.items() if getattr(calendar, k) != v]
    for name, value in changes.items():
        setattr(calendar, name, value)
    calendar.save()
    if changed:
        notice_updated(calendar, changed)
        _sync_after_commit(calendar.id)
    return calendar


@transaction.atomic
def calendar_delete(*, calendar: Calendar) -> None:
    """Forget a calendar; its scheduled bots that no other calendar shares are deleted."""
    from calendars.push_channels import push_close
    from calendars.scheduling import event_bot_sync

    push_close(calendar)
    for event in calendar.events.filter(bot__isnull=False, is_deleted=False):
        event.is_deleted = True
        event.save(update_fields=["is_deleted"])
        event_bot_sync(event)
    calendar.delete()


def calendar_connect_api(
    *, organization: Organization, data: dict, owner: Any = None, sync_now: bool = False
) -> Calendar:
    """POST /api/v1/calendars: an ICS URL, or a refresh token with its OAuth client (checked now: the
    provider must accept it and say whose calendar it is)."""
    from calendars.providers.registry import provider_identify

    data = dict(data)
    provider = data.pop("provider")
    rules = {k: data.pop(k) for k in RULE_FIELDS if k in data}
    name, email = data.pop("name", ""), data.pop("email", "")
    if provider == Calendar.Provider.ICS:
        if "ics_url" not in data:
            _refuse("ics_url", "required for an ICS calendar")
        extra = sorted(set(data) - {"ics_url"})
        if extra:
            _refuse(extra[0], "not for an ICS calendar")
        credentials = {"ics_url": data["ics_url"]}
        return calendar_create(
            organization=organization,
            provider=provider,
            credentials=credentials,
            name=name or "ICS calendar",
            email=email,
            owner=owner,
            rules=rules,
            sync_now=sync_now,
        )
    for field in ("refresh_token", "oauth_client_id", "oauth_client_secret"):
        if not data.get(field):
            _refuse(field, f"required for a {provider} calendar")
    if "ics_url" in data:
        _refuse("ics_url", f"not for a {provider} calendar")
    credentials = {
        "refresh_token": data["refresh_token"],
        "client_id": data["oauth_client_id"],
        "client_secret": data["oauth_client_secret"],
    }
    identity = provider_identify(provider, credentials, calendar_id=data.get("raw_calendar_id", ""))
    return calendar_create(
        organization=organization,
        provider=provider,
        credentials=identity.credentials,
        name=name or identity.name,
        email=email or identity.email,
        provider_calendar_id=identity.calendar_id,
        owner=owner,
        rules=rules,
        sync_now=sync_now,
    )
