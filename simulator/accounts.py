"""The simulated platforms' users: accounts their sign-in pages know, and the session a sign-in leaves.

A session is a signed cookie per provider, as Google's and Microsoft's sign-ins leave one: the meeting
pages of that provider's platform (Meet for Google, Teams for Microsoft) then show the signed-in
pre-join screen, and a meeting that admits only signed-in users lets the holder in.
"""

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import Organization
from common.errors import Conflict
from simulator.models import SimAccount

SESSION_COOKIE = {"google": "sim_google_sid", "microsoft": "sim_microsoft_estsauth"}
PLATFORM_PROVIDER = {"google_meet": "google", "teams": "microsoft"}
SALT = "notula.simulator.session"
SESSION_MAX_AGE_S = 14 * 24 * 3600


def sim_account_create(
    *,
    organization: Organization,
    provider: str,
    email: str,
    password: str,
    display_name: str = "",
    second_step: bool = False,
) -> SimAccount:
    """A user of the simulated provider; 409 when that email exists."""
    try:
        with transaction.atomic():
            return SimAccount.objects.create(
                organization=organization,
                provider=provider,
                email=email.strip().lower(),
                password=password,
                display_name=display_name or email.split("@")[0],
                second_step=second_step,
            )
    except IntegrityError as exc:
        raise Conflict(f"A {provider} account {email} exists already.", fields={"email": ["exists"]}) from exc


def sim_account_find(*, provider: str, email: str) -> SimAccount | None:
    return SimAccount.objects.filter(provider=provider, email=(email or "").strip().lower()).first()


def sim_account_signed_in(*, account: SimAccount) -> str:
    """Count a completed sign-in; the session cookie's value."""
    SimAccount.objects.filter(pk=account.pk).update(sign_ins=F("sign_ins") + 1)
    return signing.dumps({"provider": account.provider, "email": account.email}, salt=SALT)


def sim_session_account(request, provider: str) -> SimAccount | None:
    """The account whose session cookie for `provider` this browser holds, if valid."""
    raw = request.COOKIES.get(SESSION_COOKIE[provider])
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=SALT, max_age=SESSION_MAX_AGE_S)
    except signing.BadSignature:
        return None
    return (
        sim_account_find(provider=provider, email=data.get("email", "")) if data.get("provider") == provider else None
    )


def sim_signed_in_as(request, platform: str) -> SimAccount | None:
    """The signed-in account a platform's meeting page sees (Meet: Google, Teams: Microsoft)."""
    provider = PLATFORM_PROVIDER.get(platform)
    return sim_session_account(request, provider) if provider else None
