from rest_framework import serializers

from meetings.events import event_to_dict
from meetings.models import Meeting, MeetingEvent, Participant, ParticipantEvent, Recording


class MeetingSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.name", read_only=True)
    bot_ids = serializers.SerializerMethodField()
    last_sequence = serializers.IntegerField(source="event_seq", read_only=True)
    # Empty for a meeting imported from a file.
    meeting_url = serializers.CharField(read_only=True, help_text="empty for a meeting imported from a file")
    platform = serializers.CharField(read_only=True, help_text="zoom, google_meet, teams, webex; empty for a file")
    keywords = serializers.ListField(child=serializers.CharField(), read_only=True)

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
        ]

    def get_bot_ids(self, meeting) -> list[str]:
        return [bot.id for bot in meeting.bots.all()]


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
    url = serializers.SerializerMethodField()

    class Meta:
        model = Recording
        fields = ["id", "kind", "format", "url", "duration_ms", "size_bytes", "created_at"]

    def get_url(self, recording) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(recording.file.url) if request else recording.file.url


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


ASR_BACKEND_CHOICES = ["faster-whisper", "openai-whisper", "openai-compatible"]


class MeetingImportInput(serializers.Serializer):
    file_url = serializers.URLField(max_length=2000, required=False, help_text="http(s) URL of an audio/video file")
    file = serializers.FileField(required=False, help_text="multipart upload of an audio/video file")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    project = serializers.CharField(max_length=100, required=False)
    language = serializers.CharField(max_length=16, required=False, help_text="a language code, or 'auto'")
    backend = serializers.ChoiceField(choices=ASR_BACKEND_CHOICES, required=False)
    model = serializers.CharField(max_length=300, required=False)


class RetranscribeInput(serializers.Serializer):
    backend = serializers.ChoiceField(choices=ASR_BACKEND_CHOICES, required=False)
    model = serializers.CharField(max_length=300, required=False)
    language = serializers.CharField(max_length=16, required=False, help_text="a language code, or 'auto'")


class RetranscribeOut(serializers.Serializer):
    meeting_id = serializers.CharField()
    revision = serializers.IntegerField()
    status = serializers.CharField()
