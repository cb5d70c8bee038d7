import base64
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import ApiKey, Organization, Project

KEY_PREFIX = "ntl_"
PREFIX_LENGTH = 12


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    key: str
    signing_secret: str


@transaction.atomic
def organization_get_or_create(*, name: str) -> Organization:
    """The organization named `name`, created with its default project `api` if new."""
    organization, _ = Organization.objects.get_or_create(name=name)
    Project.objects.get_or_create(organization=organization, name=Project.DEFAULT_NAME)
    return organization


def project_resolve(*, organization: Organization, name: str | None) -> Project:
    """The named project of the organization (created on first use), or the default `api`."""
    project, _ = Project.objects.get_or_create(organization=organization, name=name or Project.DEFAULT_NAME)
    return project


def api_key_create(*, organization: Organization, name: str = "") -> IssuedKey:
    """Issue a key. The raw key and signing secret are returned once and never stored in clear."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    # A Standard Webhooks secret (base64 after the prefix), so their verification libraries accept it.
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    api_key = ApiKey.objects.create(
        organization=organization,
        name=name,
        prefix=raw[:PREFIX_LENGTH],
        key_hash=key_hash(raw),
        signing_secret=secret,
    )
    return IssuedKey(api_key=api_key, key=raw, signing_secret=secret)


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


def api_key_authenticate(*, raw_key: str) -> ApiKey | None:
    """The active key matching `raw_key`, or None. Touches last_used_at at most once a minute."""
    api_key = ApiKey.objects.select_related("organization").filter(key_hash=key_hash(raw_key), revoked_at=None).first()
    if api_key is None:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key
