"""Writes and reads on bot accounts: the Google and Microsoft accounts an organization's bots sign in as.

Passwords and browser sessions are encrypted at rest (accounts/crypto.py) and leave this module only
for the bot that signs in; the API never shows them.
"""

import json

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.crypto import SecretUnreadable, secret_decrypt, secret_encrypt
from accounts.models import BotAccount, Organization
from common.errors import Conflict, NotFound, ValidationError

# The platform each provider's account signs in to.
PROVIDER_PLATFORM = {BotAccount.Provider.GOOGLE: "google_meet", BotAccount.Provider.MICROSOFT: "teams"}
# Bots still running or waiting to run, which a deleted account would leave without a way in.
UNFINISHED = ("scheduled", "queued", "joining", "waiting_room", "in_call", "leaving", "post_processing")


def bot_account_create(
    *, organization: Organization, provider: str, email: str, password: str, label: str = ""
) -> BotAccount:
    """Store an account for the organization's bots; 409 when this provider's email is stored already."""
    try:
        with transaction.atomic():
            return BotAccount.objects.create(
                organization=organization,
                provider=provider,
                email=email.strip().lower(),
                label=label,
                password_encrypted=secret_encrypt(password),
            )
    except IntegrityError as exc:
        raise Conflict(
            f"A {provider} account {email} is stored already; delete it first to store a new password.",
            code="duplicate_bot_account",
            fields={"email": ["already stored"]},
        ) from exc


def bot_account_list(*, organization: Organization) -> QuerySet[BotAccount]:
    return BotAccount.objects.filter(organization=organization).order_by("-created_at")


def bot_account_get(*, organization: Organization, account_id: str) -> BotAccount:
    account = BotAccount.objects.filter(organization=organization, pk=account_id).first()
    if account is None:
        raise NotFound(f"No bot account '{account_id}' in your organization.")
    return account


def bot_account_delete(*, account: BotAccount) -> None:
    """Delete the account and its session; 409 while a bot that joins as it has not finished."""
    waiting = account.bots.filter(status__in=UNFINISHED).values_list("id", flat=True)
    if waiting:
        raise Conflict(
            f"Bots {', '.join(waiting[:5])} join as {account.email} and have not finished; "
            "delete the account once they have.",
            code="bot_account_in_use",
        )
    account.delete()


def bot_account_password(*, account: BotAccount) -> str:
    return secret_decrypt(account.password_encrypted)


def bot_account_session(*, account: BotAccount) -> list[dict]:
    """The cookies of the account's last signed-in browser ([] when none, or unreadable)."""
    if not account.session_encrypted:
        return []
    try:
        return json.loads(secret_decrypt(account.session_encrypted))
    except (SecretUnreadable, ValueError):
        return []


def bot_account_signed_in(*, account: BotAccount, cookies: list[dict]) -> None:
    """A bot is signed in as the account: keep its session for the next bot, clear any warning."""
    now = timezone.now()
    account.session_encrypted = secret_encrypt(json.dumps(cookies)) if cookies else account.session_encrypted
    account.session_saved_at = now if cookies else account.session_saved_at
    account.status, account.status_message, account.last_used_at = BotAccount.Status.READY, "", now
    account.save(update_fields=["session_encrypted", "session_saved_at", "status", "status_message", "last_used_at"])


def bot_account_needs_attention(*, account: BotAccount, message: str) -> None:
    """The account could not sign in (a second step, a wrong password): say so, drop its session."""
    account.status, account.status_message = BotAccount.Status.NEEDS_ATTENTION, message[:500]
    account.session_encrypted, account.session_saved_at = "", None
    account.save(update_fields=["status", "status_message", "session_encrypted", "session_saved_at"])


def bot_account_for_platform(*, organization: Organization, account_id: str, platform: str) -> BotAccount:
    """The account a bot for `platform` joins as (`join_as`); 400 naming join_as when it cannot."""
    account = BotAccount.objects.filter(organization=organization, pk=account_id).first()
    if account is None:
        raise ValidationError(
            f"join_as: no bot account '{account_id}' in your organization (GET /api/v1/bot_accounts lists them).",
            fields={"join_as": ["unknown bot account"]},
        )
    signs_in_to = PROVIDER_PLATFORM[account.provider]
    if signs_in_to != platform:
        hint = " Zoom bots use zoom tokens instead." if platform == "zoom" else ""
        raise ValidationError(
            f"join_as: {account.email} is a {account.provider} account, for {signs_in_to} meetings; "
            f"this meeting is on {platform}.{hint}",
            fields={"join_as": [f"a {account.provider} account cannot join a {platform} meeting"]},
        )
    return account
