"""An organization's cloud speech-to-text keys (Deepgram, AssemblyAI): stored encrypted, used by its
bots that give no key of their own, never shown back."""

from django.db.models import QuerySet

from accounts.crypto import SecretUnreadable, secret_decrypt, secret_encrypt
from accounts.models import Organization, TranscriptionKey
from common.errors import NotFound


def transcription_key_set(*, organization: Organization, provider: str, api_key: str) -> TranscriptionKey:
    """Store the key (replacing the one stored for this provider)."""
    key, _ = TranscriptionKey.objects.update_or_create(
        organization=organization, provider=provider, defaults={"key_encrypted": secret_encrypt(api_key)}
    )
    return key


def transcription_key_list(*, organization: Organization) -> QuerySet[TranscriptionKey]:
    return TranscriptionKey.objects.filter(organization=organization).order_by("provider")


def transcription_key_delete(*, organization: Organization, provider: str) -> None:
    deleted, _ = TranscriptionKey.objects.filter(organization=organization, provider=provider).delete()
    if not deleted:
        raise NotFound(f"No {provider} key is stored for this organization.")


def transcription_key_for(*, organization: Organization, provider: str) -> str:
    """The organization's key for the provider, decrypted; "" when none is stored (or it is unreadable)."""
    stored = TranscriptionKey.objects.filter(organization=organization, provider=provider).first()
    if stored is None:
        return ""
    try:
        return secret_decrypt(stored.key_encrypted)
    except SecretUnreadable:
        return ""


# Keys shorter than this show no hint at all: their last characters would give away too much.
HINT_MIN_LENGTH = 16


def transcription_key_list_with_hints(*, organization: Organization) -> list[dict]:
    """The stored keys with their last 4 characters (nothing more) to tell them apart, for the dashboard."""
    listed = []
    for stored in transcription_key_list(organization=organization):
        try:
            plain = secret_decrypt(stored.key_encrypted)
        except SecretUnreadable:
            plain = ""
        hint = plain[-4:] if len(plain) >= HINT_MIN_LENGTH else ""
        listed.append({"provider": stored.provider, "updated_at": stored.updated_at, "hint": hint})
    return listed
