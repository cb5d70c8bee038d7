from django.db import models

from accounts.models import Organization, Project
from common.ids import new_uuid_id
from meetings.models import Meeting, Platform


def new_bot_id() -> str:
    # A bot's id also stands for a UUID (common/ids.py): vendor APIs that name bots by UUID use it.
    return new_uuid_id("bot")


class BotStatus(models.TextChoices):
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    JOINING = "joining"
    WAITING_ROOM = "waiting_room"
    IN_CALL = "in_call"
    LEAVING = "leaving"
    POST_PROCESSING = "post_processing"
    ENDED = "ended"
    FAILED = "failed"


class RecordingState(models.TextChoices):
    NOT_RECORDING = "not_recording"
    RECORDING = "recording"
    # Reserved for pausing a recording during the call; nothing sets it yet.
    PAUSED = "paused"


class EndReason(models.TextChoices):
    LEFT_BY_REQUEST = "left_by_request"
    EVERYONE_LEFT = "everyone_left"
    NOONE_JOINED = "noone_joined"
    WAITING_ROOM_TIMEOUT = "waiting_room_timeout"
    ADMISSION_DENIED = "admission_denied"
    REMOVED_BY_HOST = "removed_by_host"
    MEETING_ENDED = "meeting_ended"
    MAX_DURATION = "max_duration"
    SILENCE = "silence"
    MEETING_NOT_FOUND = "meeting_not_found"
    # No `invalid_meeting_url`: a link no platform knows is refused when the bot is created (a 400 naming
    # meeting_url), so no bot ever ends for it; a link that leads nowhere ends `meeting_not_found`.
    PLATFORM_BLOCKED = "platform_blocked"
    LOGIN_REQUIRED = "login_required"
    MEETING_NOT_STARTED = "meeting_not_started"
    RECORDING_PERMISSION_DENIED = "recording_permission_denied"
    UNRECOGNIZED_PAGE = "unrecognized_page"
    JOIN_STEP_FAILED = "join_step_failed"
    BOT_CRASHED = "bot_crashed"
    INTERNAL_ERROR = "internal_error"


class EndFault(models.TextChoices):
    """Whose side ended the bot (bots/endings.py maps each end_reason to one)."""

    HOST = "host"  # the meeting's side: its host, its people, its settings, the link given, your own request
    PLATFORM = "platform"  # the platform refused the bot or showed a page nobody expected
    NOTULA = "notula"  # Notula failed: a crash, a worker lost, a step of a known page


class Dialect(models.TextChoices):
    """The API a bot was created through, when not Notula's own: a vendor dialect (compat/)."""

    SASHA = "sasha", "Sasha Meeting Room API"
    AITRONOS = "aitronos", "Aitronos Meeting Buddy"
    MEETSTREAM = "meetstream", "MeetStream bot API"
    MEETINGBAAS = "meetingbaas", "Meeting BaaS v1"
    MEEMO = "meemo", "GL Meemo"


class Bot(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_bot_id, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="bots")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="bots")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="bots")
    api_key = models.ForeignKey("accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL)
    # The stored account the bot signs in as, for meetings that refuse anonymous guests (Meet, Teams).
    join_as = models.ForeignKey(
        "accounts.BotAccount", null=True, blank=True, on_delete=models.SET_NULL, related_name="bots"
    )
    # Zoom: a ZAK or OBF token given with the bot ({"kind", "token"}, encrypted), or a user's OAuth
    # connection from which one is fetched at join time (bots/zoom_auth.py).
    zoom_token_encrypted = models.TextField(blank=True)
    zoom_connection = models.ForeignKey(
        "accounts.ZoomConnection", null=True, blank=True, on_delete=models.SET_NULL, related_name="bots"
    )
    meeting_url = models.URLField(max_length=2000)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    bot_name = models.CharField(max_length=100)
    # Written only by bots.states.bot_apply_event.
    status = models.CharField(max_length=20, choices=BotStatus.choices, default=BotStatus.QUEUED, db_index=True)
    end_reason = models.CharField(max_length=40, choices=EndReason.choices, blank=True)
    end_fault = models.CharField(max_length=10, choices=EndFault.choices, blank=True, db_index=True)
    end_message = models.CharField(max_length=500, blank=True)
    recording_state = models.CharField(
        max_length=20, choices=RecordingState.choices, default=RecordingState.NOT_RECORDING
    )
    join_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # transcription / recording / automatic_leave / streaming, with defaults filled in.
    settings = models.JSONField(default=dict)
    entry_message = models.CharField(max_length=1000, blank=True)
    bot_image_url = models.URLField(max_length=2000, blank=True)
    webhook_url = models.URLField(max_length=2000, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    deduplication_key = models.CharField(max_length=200, blank=True, db_index=True)
    # The vendor API (compat/) that created the bot, empty for the native API: the dashboard names it.
    dialect = models.CharField(max_length=20, choices=Dialect.choices, blank=True)
    leave_requested_at = models.DateTimeField(null=True, blank=True)
    # What the bot could not do as asked while it ran ({code, message, at}); see bots.lifecycle.bot_add_warning.
    warnings = models.JSONField(default=list, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)  # admitted into the call
    ended_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    debug_screenshot = models.FileField(upload_to="debug/", max_length=500, blank=True)
    debug_html = models.FileField(upload_to="debug/", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.bot_name} ({self.id})"


class BotEvent(models.Model):
    """One applied transition of a bot's state machine."""

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=40)
    old_status = models.CharField(max_length=20, choices=BotStatus.choices)
    new_status = models.CharField(max_length=20, choices=BotStatus.choices)
    end_reason = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
