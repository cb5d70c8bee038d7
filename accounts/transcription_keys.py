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
