from django.db import models

from accounts.models import Organization, Project
from common.ids import new_id


def new_meeting_id() -> str:
    return new_id("mtg")


def new_participant_id() -> str:
    return new_id("prt")


def new_segment_id() -> str:
    return new_id("seg")


def new_recording_id() -> str:
    return new_id("rec")


def new_event_id() -> str:
    return new_id("evt")


class Platform(models.TextChoices):
    ZOOM = "zoom"
    GOOGLE_MEET = "google_meet"
    TEAMS = "teams"
    WEBEX = "webex"


class Meeting(models.Model):
    """One meeting as Notula saw it: through a bot, or from an imported file."""

    class Source(models.TextChoices):
        BOT = "bot"
        FILE = "file"

    class Status(models.TextChoices):
        """Where the meeting's transcript stands (a bot's own lifecycle is on the Bot)."""

        PENDING = "pending"
        PROCESSING = "processing"
        COMPLETED = "completed"
        FAILED = "failed"

    id = models.CharField(primary_key=True, max_length=32, default=new_meeting_id, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="meetings")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="meetings")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.BOT)
    meeting_url = models.URLField(max_length=2000, blank=True)
    platform = models.CharField(max_length=20, choices=Platform.choices, blank=True)
    title = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=16, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    failure_reason = models.CharField(max_length=500, blank=True)
    # After the call: a Markdown summary and notes, and keywords (local or from a chat endpoint).
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True)
    # Last MeetingEvent.sequence handed out; incremented under the row lock so sequences are gapless.
    event_seq = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return self.title or self.id


class Participant(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_participant_id, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    # The platform's own id for this person in this meeting (or the name when it has none).
    external_id = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    is_host = models.BooleanField(default=False)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "external_id"], name="participant_unique_external_id")
        ]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class ParticipantEvent(models.Model):
    """Roster changes and the speaker timeline (speech start/stop) of a meeting."""

    class Kind(models.TextChoices):
        JOIN = "join"
        LEAVE = "leave"
        SPEECH_START = "speech_start"
        SPEECH_STOP = "speech_stop"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participant_events")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    # Milliseconds since the meeting started (the bot's admission), for the timeline.
    offset_ms = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["meeting", "kind", "offset_ms"])]


class TranscriptSegment(models.Model):
    id = models.CharField(primary_key=True, max_length=32, default=new_segment_id, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="segments")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL)
    speaker = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    start_ms = models.BigIntegerField()
    end_ms = models.BigIntegerField()
    started_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    words = models.JSONField(default=list, blank=True)
    # Which transcription produced it; a re-transcription writes a new revision.
    revision = models.PositiveIntegerField(default=1)
    backend = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_ms", "created_at"]
        indexes = [models.Index(fields=["meeting", "revision", "start_ms"])]


class Recording(models.Model):
    class Kind(models.TextChoices):
        AUDIO = "audio"
        VIDEO = "video"

    class Source(models.TextChoices):
        MIXED = "mixed"  # the whole call, every voice: "the" recording (meetings.selectors.recordings_mixed)
        PARTICIPANT = "participant"  # one participant's track alone (`recording.per_participant`)

    id = models.CharField(primary_key=True, max_length=32, default=new_recording_id, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="recordings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MIXED)
    # A participant's track: whose voice it carries once the speaking indicators bound it to them (null
    # for the mix, and for a track never bound); `speaker` is the name given to it either way.
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="recordings"
    )
    speaker = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=10)  # wav, flac, mp3, opus, mp4
    file = models.FileField(upload_to="recordings/", max_length=500)
    duration_ms = models.BigIntegerField(default=0)
    size_bytes = models.BigIntegerField(default=0)
    # Where the recording was paused: [{offset_ms, paused_ms, paused_at, resumed_at}], offset_ms on the
    # file's own clock (the cut), paused_ms how long the call went on unrecorded there.
    gaps = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class MeetingEvent(models.Model):
    """The ordered event log (the outbox): every event the outside world hears.

    A meeting event has `meeting` and the meeting's sequence; an organization event (not tied to a
    meeting: a bot created, an endpoint disabled) has `organization` instead, and the organization's
    own sequence. `meetings.events.catalogue` says which type is which.
    """

    id = models.CharField(primary_key=True, max_length=32, default=new_event_id, editable=False)
    # The unique (meeting, sequence) constraint is the meeting's index; a second one would only cost inserts.
    meeting = models.ForeignKey(Meeting, null=True, on_delete=models.CASCADE, related_name="events", db_index=False)
    # Set on organization events only, so that meeting events (every caption) pay nothing for it.
    organization = models.ForeignKey(
        Organization, null=True, on_delete=models.CASCADE, related_name="organization_events", db_index=False
    )
    sequence = models.PositiveBigIntegerField()
    type = models.CharField(max_length=60)
    bot_id = models.CharField(max_length=32, blank=True)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sequence"], name="meeting_event_unique_sequence"),
            models.UniqueConstraint(
                fields=["organization", "sequence"],
                condition=models.Q(organization__isnull=False),
                name="organization_event_unique_sequence",
            ),
            models.CheckConstraint(
                condition=models.Q(meeting__isnull=False, organization__isnull=True)
                | models.Q(meeting__isnull=True, organization__isnull=False),
                name="event_meeting_or_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id or self.organization_id}#{self.sequence} {self.type}"


def new_chat_message_id() -> str:
    return new_id("msg")


class ChatMessage(models.Model):
    """A message in the meeting's chat, as the bot's page showed it (the bot's own included)."""

    id = models.CharField(primary_key=True, max_length=32, default=new_chat_message_id, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="chat_messages")
    bot_id = models.CharField(max_length=32, blank=True)
    # The sender as a roster entry, when the page's name matches one; `sender` is the name shown.
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL)
    sender = models.CharField(max_length=200)
    from_bot = models.BooleanField(default=False)
    # A private message's recipient, as the chat showed it (a participant's name, or the bot's); null
    # for a message to everyone. `to_participant`: that recipient in the roster, when one matches.
    to = models.CharField(max_length=200, null=True, blank=True)
    to_participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_messages_received"
    )
    text = models.TextField()
    sent_at = models.DateTimeField()
    offset_ms = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["meeting", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:40]}"
