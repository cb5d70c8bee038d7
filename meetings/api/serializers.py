from datetime import datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.text import get_valid_filename
from rest_framework import serializers

from common.errors import PayloadTooLarge
from common.inputs import CsvChoiceField, DateTimeField, PageQuery, QueryParams, StrictFieldsMixin
from common.media import media_link
from common.media_store import media_exists
from meetings import exports
from meetings.api.speaker_count import SpeakerCountField
from meetings.asr_choices import LANGUAGE_CHOICES, transcription_check
from meetings.events import event_to_dict
from meetings.models import Meeting, MeetingEvent, Participant, ParticipantEvent, Platform, Recording
from meetings.transcripts import document_path


class MeetingSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.name", read_only=True)
    bot_ids = serializers.SerializerMethodField()
    last_sequence = serializers.IntegerField(source="event_seq", read_only=True)
    # Empty for a meeting imported from a file.
    meeting_url = serializers.CharField(read_only=True, help_text="empty for a meeting imported from a file")
    platform = serializers.CharField(read_only=True, help_text="zoom, google_meet, teams, webex; empty for a file")
    keywords = serializers.ListField(child=serializers.CharField(), read_only=True)
    document_url = serializers.SerializerMethodField(
        help_text="signed link to the Markdown transcript document, once saved (expires after NOTULA_MEDIA_LINK_TTL_S)"
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "project",
            "source",
            "meeting_url",
            "platform",
            "title",
            "language",
            "bot_ids",
            "started_at",
            "ended_at",
            "created_at",
            "last_sequence",
            "status",
            "failure_reason",
            "summary",
            "notes",
            "keywords",
            "document_url",
        ]

    def get_bot_ids(self, meeting) -> list[str]:
        return [bot.id for bot in meeting.bots.all()]

    def get_document_url(self, meeting) -> str | None:
        path = document_path(meeting).as_posix()
        if not media_exists(path):
            return None
        return media_link(path, request=self.context.get("request"))[0]


class ParticipantEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParticipantEvent
        fields = ["kind", "occurred_at", "offset_ms"]


class ParticipantSerializer(serializers.ModelSerializer):
    events = ParticipantEventSerializer(many=True, read_only=True)
    speaking_ms = serializers.SerializerMethodField()

    class Meta:
        model = Participant
        fields = ["id", "name", "external_id", "is_host", "joined_at", "left_at", "speaking_ms", "events"]

    def get_speaking_ms(self, participant) -> int:
        total, started = 0, None
        for event in participant.events.all():
            if event.kind == ParticipantEvent.Kind.SPEECH_START:
                started = event.offset_ms
            elif event.kind == ParticipantEvent.Kind.SPEECH_STOP and started is not None:
                total += event.offset_ms - started
                started = None
        return total


class MeetingEventSerializer(serializers.Serializer):
    """One event of the log, exactly as webhooks and WebSocket listeners receive it."""

    id = serializers.CharField()
    type = serializers.CharField()
    meeting_id = serializers.CharField()
    bot_id = serializers.CharField(allow_null=True)
    sequence = serializers.IntegerField(help_text="gapless per meeting, from 1")
    created_at = serializers.DateTimeField()
    data = serializers.JSONField(help_text="the event's payload")

    def to_representation(self, instance: MeetingEvent):
        return event_to_dict(instance)


class OrganizationEventSerializer(serializers.Serializer):
    """One of the organization's own events (not tied to a meeting), as webhooks and WebSocket listeners
    receive it."""

    id = serializers.CharField()
    type = serializers.CharField()
    organization_id = serializers.CharField()
    meeting_id = serializers.CharField(allow_null=True, help_text="always null: the event belongs to no meeting")
    bot_id = serializers.CharField(allow_null=True)
    sequence = serializers.IntegerField(help_text="gapless per organization, from 1")
    created_at = serializers.DateTimeField()
    data = serializers.JSONField(help_text="the event's payload")

    def to_representation(self, instance: MeetingEvent):
        return event_to_dict(instance)


class RecordingSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="a signed link: plays and downloads without credentials until url_expires_at"
    )
    url_expires_at = serializers.SerializerMethodField()
    source = serializers.ChoiceField(
        choices=Recording.Source.choices,
        read_only=True,
        help_text="mixed: the whole call, every voice; participant: one participant's track alone",
    )
    participant_id = serializers.CharField(
        read_only=True, allow_null=True, help_text="whose track this is, once bound to a participant; null for the mix"
    )
    speaker = serializers.SerializerMethodField(
        help_text="the participant's name, or 'Unknown speaker N' for a track never bound to one; null for the mix"
    )
    gaps = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="where the recording was paused: offset_ms (on the file's clock), paused_ms, paused_at, resumed_at",
    )

    class Meta:
        model = Recording
        fields = [
            "id",
            "kind",
            "format",
            "source",
            "participant_id",
            "speaker",
            "url",
            "url_expires_at",
            "duration_ms",
            "size_bytes",
            "gaps",
            "created_at",
        ]

    def _link(self, recording) -> tuple[str, datetime]:
        cache = self.context.setdefault("links", {})
        if recording.pk not in cache:
            cache[recording.pk] = media_link(recording.file.name, request=self.context.get("request"))
        return cache[recording.pk]

    def get_speaker(self, recording) -> str | None:
        return recording.speaker or None

    def get_url(self, recording) -> str:
        return self._link(recording)[0]

    def get_url_expires_at(self, recording) -> datetime:
        return self._link(recording)[1]


class TranscriptSegmentOut(serializers.Serializer):
    id = serializers.CharField()
    speaker = serializers.CharField(allow_null=True)
    participant_id = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    start_ms = serializers.IntegerField()
    end_ms = serializers.IntegerField()
    started_at = serializers.DateTimeField(allow_null=True)
    language = serializers.CharField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    words = serializers.ListField(child=serializers.DictField())


class TranscriptOut(serializers.Serializer):
    meeting_id = serializers.CharField()
    segments = TranscriptSegmentOut(many=True)


class EventPageOut(serializers.Serializer):
    meeting_id = serializers.CharField()
    after = serializers.IntegerField()
    last_sequence = serializers.IntegerField()
    events = MeetingEventSerializer(many=True)


class OrganizationEventPageOut(serializers.Serializer):
    organization_id = serializers.CharField()
    after = serializers.IntegerField()
    last_sequence = serializers.IntegerField()
    events = OrganizationEventSerializer(many=True)


class RecordingsOut(serializers.Serializer):
    meeting_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["pending", "ready", "none"])
    recordings = RecordingSerializer(many=True)


ASR_BACKEND_CHOICES = ["faster-whisper", "openai-whisper", "openai-compatible", "deepgram", "assemblyai"]
BACKEND_HELP = "default NOTULA_ASR_BACKEND; openai-compatible only where NOTULA_ASR_API_URL is set"
MODEL_HELP = (
    "Whisper backends: tiny.en (English only), base, or the server's NOTULA_ASR_MODEL; "
    "openai-compatible: the remote server's model name"
)
LANGUAGE_HELP = "a Whisper language code, or auto; tiny.en: en or auto"


class MeetingImportInput(StrictFieldsMixin, serializers.Serializer):
    file_url = serializers.URLField(max_length=2000, required=False, help_text="http(s) URL of an audio/video file")
    file = serializers.FileField(required=False, help_text="multipart upload of an audio/video file")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    project = serializers.CharField(max_length=100, required=False)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False, help_text=LANGUAGE_HELP)
    backend = serializers.ChoiceField(choices=ASR_BACKEND_CHOICES, required=False, help_text=BACKEND_HELP)
    model = serializers.CharField(max_length=300, required=False, help_text=MODEL_HELP)
    speaker_count = SpeakerCountField(required=False)

    def validate_file(self, upload):
        if upload.size > settings.IMPORT_MAX_BYTES:
            message = f"The file is {upload.size} bytes; uploads are limited to {settings.IMPORT_MAX_BYTES} bytes."
            raise PayloadTooLarge(
                message + " (NOTULA_IMPORT_MAX_BYTES)", code="upload_too_large", fields={"file": [message]}
            )
        # The client's file name is only a hint for the type: '..', '.' or a path must not become one.
        name = PurePosixPath((upload.name or "").replace("\\", "/")).name.strip(". ")
        upload.name = get_valid_filename(name) if name else "upload"
        return upload

    def validate(self, data):
        if bool(data.get("file")) == bool(data.get("file_url")):
            message = "Send either file_url (JSON or multipart) or a multipart file, not both and not neither."
            raise serializers.ValidationError({"file_url": [message], "file": [message]})
        transcription_check(backend=data.get("backend"), model=data.get("model"), language=data.get("language"))
        return data


class MeetingImportUrlInput(MeetingImportInput):
    """A JSON body carries no file: `file_url` is required."""

    file_url = serializers.URLField(max_length=2000, help_text="http(s) URL of an audio/video file")

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("file")
        return fields


class RetranscribeInput(StrictFieldsMixin, serializers.Serializer):
    backend = serializers.ChoiceField(choices=ASR_BACKEND_CHOICES, required=False, help_text=BACKEND_HELP)
    model = serializers.CharField(max_length=300, required=False, help_text=MODEL_HELP)
    language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False, help_text=LANGUAGE_HELP)

    def validate(self, data):
        transcription_check(backend=data.get("backend"), model=data.get("model"), language=data.get("language"))
        return data


class RetranscribeOut(serializers.Serializer):
    meeting_id = serializers.CharField()
    revision = serializers.IntegerField()
    status = serializers.CharField()


class MeetingListQuery(PageQuery):
    """GET /api/v1/meetings. `title` matches a part, ignoring case; times are RFC 3339."""

    status = CsvChoiceField(choices=Meeting.Status.values, required=False)
    source = CsvChoiceField(choices=Meeting.Source.values, required=False)
    platform = CsvChoiceField(choices=Platform.values, required=False)
    # Not trimmed: the part searched for is taken as given (a space is a part of a title too).
    title = serializers.CharField(required=False, max_length=300, trim_whitespace=False, help_text="part of the title")
    created_after = DateTimeField(in_query=True, required=False, help_text="created at or after")
    created_before = DateTimeField(in_query=True, required=False, help_text="created before")


class TranscriptQuery(QueryParams):
    format = serializers.ChoiceField(choices=list(exports.FORMATS), required=False, default="json")


class EventsQuery(QueryParams):
    after = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=2**62, help_text="only events with a greater sequence"
    )
    limit = serializers.IntegerField(required=False, default=1000, min_value=1, max_value=1000, help_text="at most")
