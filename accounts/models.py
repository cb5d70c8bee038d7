from django.conf import settings
from django.db import models

from common.ids import new_id, new_uuid_id


def new_org_id() -> str:
    return new_id("org")


def new_project_id() -> str:
    return new_id("prj")


def new_key_id() -> str:
    return new_id("key")


class Organization(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_org_id, editable=False)
    name = models.CharField(max_length=200, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="organizations", blank=True)
    # Last sequence of the organization's own events (`MeetingEvent` rows with `organization` set),
    # incremented under the row lock so sequences are gapless.
    event_seq = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    DEFAULT_NAME = "api"

    id = models.CharField(primary_key=True, max_length=32, default=new_project_id, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="project_unique_name")]

    def __str__(self) -> str:
        return f"{self.organization.name}/{self.name}"


class ApiKey(models.Model):
    """A secret shown once; only its SHA-256 is kept, with a visible prefix to recognise it."""

    id = models.CharField(primary_key=True, max_length=32, default=new_key_id, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    # Signs this key's webhooks; shown once with the key, kept to sign.
    signing_secret = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API key"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.organization.name})"


class IdempotencyRecord(models.Model):
    """The first successful answer to a POST sent with an `Idempotency-Key`, replayed to its retries."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of the method, path and parsed body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["api_key", "key"], name="idempotency_unique_key")]


def new_bot_account_id() -> str:
    return new_id("bac")


class BotAccount(models.Model):
    """A Google or Microsoft account an organization's bots sign in as (`join_as`), for meetings that
    refuse anonymous guests. The password and the browser session are encrypted (accounts/crypto.py)
    and never shown back."""

    class Provider(models.TextChoices):
        GOOGLE = "google"  # Google Meet
        MICROSOFT = "microsoft"  # Microsoft Teams

    class Status(models.TextChoices):
        READY = "ready"
        NEEDS_ATTENTION = "needs_attention"  # the last sign-in failed; status_message says why

    id = models.CharField(primary_key=True, max_length=32, default=new_bot_account_id, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="bot_accounts")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    email = models.EmailField(max_length=254)
    label = models.CharField(max_length=100, blank=True)
    password_encrypted = models.TextField()
    # The signed-in browser's cookies (JSON), reused by the next bot and renewed after each sign-in.
    session_encrypted = models.TextField(blank=True)
    session_saved_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.READY)
    status_message = models.CharField(max_length=500, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "provider", "email"], name="bot_account_unique_email")
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.provider})"


def new_zoom_connection_id() -> str:
    # Also stands for a UUID (common/ids.py): vendor APIs that name connections by UUID use it.
    return new_uuid_id("zoc")


class ZoomConnection(models.Model):
    """A Zoom user's OAuth grant to this install: Notula refreshes its tokens and fetches, at each bot's
    join, a ZAK or OBF token of that user (the bot then joins as, or on behalf of, them). The tokens are
    encrypted and never shown back."""

    class State(models.TextChoices):
        CONNECTED = "connected"
        REFRESH_FAILED = "refresh_failed"  # Zoom refused the refresh token: the user must authorize again

    id = models.CharField(primary_key=True, max_length=32, default=new_zoom_connection_id, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="zoom_connections")
    zoom_user_id = models.CharField(max_length=100)
    zoom_account_id = models.CharField(max_length=100, blank=True)
    email = models.CharField(max_length=254, blank=True)
    scopes = models.CharField(max_length=1000, blank=True)
    access_token_encrypted = models.TextField()
    refresh_token_encrypted = models.TextField()
    access_expires_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.CONNECTED)
    failure_message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "zoom_user_id"], name="zoom_connection_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.email or self.zoom_user_id} (Zoom)"


class TranscriptionKey(models.Model):
    """An organization's key for a cloud speech-to-text provider, used by its bots that give none of
    their own. Encrypted (accounts/crypto.py) and never shown back."""

    class Provider(models.TextChoices):
        DEEPGRAM = "deepgram"
        ASSEMBLYAI = "assemblyai"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="transcription_keys")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    key_encrypted = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "provider"], name="transcription_key_unique_provider")
        ]


class TranscriptionDefault(models.Model):
    """An organization's default speech-to-text backend (with its model and language), given to a bot,
    an import or a re-transcription that names no backend of its own. No row, or a null backend,
    means the server's NOTULA_ASR_BACKEND."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="transcription_default")
    backend = models.CharField(max_length=30, null=True, blank=True)
    model = models.CharField(max_length=300, null=True, blank=True)
    language = models.CharField(max_length=10, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
