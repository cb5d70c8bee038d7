from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bots.models import Bot, BotEvent, BotStatus, EndFault
from bots.zoom_auth import bot_zoom_summary
from common.api import StrictFieldsMixin
from meetings.models import Platform

# A bot can also take the platform's own captions; a file import cannot.
BOT_ASR_BACKEND_CHOICES = ["faster-whisper", "openai-whisper", "captions", "openai-compatible"]


class TranscriptionSettings(StrictFieldsMixin, serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    backend = serializers.ChoiceField(choices=BOT_ASR_BACKEND_CHOICES, required=False)
    model = serializers.CharField(required=False, max_length=300)
    language = serializers.CharField(required=False, max_length=16, help_text="a language code, or 'auto'")
    partials = serializers.BooleanField(required=False, help_text="send caption_partial events")


class RecordingSettings(StrictFieldsMixin, serializers.Serializer):
    mode = serializers.ChoiceField(choices=["audio_only", "speaker_view"], required=False)
    audio_format = serializers.ChoiceField(choices=["mp3", "opus", "flac", "wav"], required=False)


class AutomaticLeaveSettings(StrictFieldsMixin, serializers.Serializer):
    waiting_room_timeout = serializers.IntegerField(min_value=1, max_value=86400, required=False)
    noone_joined_timeout = serializers.IntegerField(min_value=1, max_value=86400, required=False)
    everyone_left_timeout = serializers.IntegerField(min_value=1, max_value=86400, required=False)
    silence_timeout = serializers.IntegerField(min_value=1, max_value=86400, required=False)
    max_duration = serializers.IntegerField(min_value=1, max_value=86400, required=False)
    recording_permission_denied_timeout = serializers.IntegerField(
        min_value=1,
        max_value=86400,
        required=False,
        help_text="Zoom: seconds the host may take to allow recording before the bot leaves",
    )


class StreamingSettings(StrictFieldsMixin, serializers.Serializer):
    audio_url = serializers.RegexField(
        r"^wss?://", required=False, allow_null=True, help_text="ws(s):// URL that receives live PCM audio"
    )


class ZoomOptions(StrictFieldsMixin, serializers.Serializer):
    zak_token = serializers.CharField(max_length=4000, required=False, help_text="a Zoom user's ZAK: join as them")
    obf_token = serializers.CharField(
        max_length=4000, required=False, help_text="an OBF token: join on behalf of the user who is in the meeting"
    )
    oauth_connection = serializers.CharField(
        max_length=32, required=False, help_text="a stored Zoom OAuth connection to fetch a token from at join time"
    )
    token_type = serializers.ChoiceField(
        choices=["obf", "zak"], required=False, help_text="which token the connection gives (default obf)"
    )


class BotCreateInput(StrictFieldsMixin, serializers.Serializer):
    meeting_url = serializers.CharField(max_length=2000)
    bot_name = serializers.CharField(max_length=100, required=False, allow_blank=False)
    join_at = serializers.DateTimeField(required=False, allow_null=True, help_text="ISO 8601, in the future")
    project = serializers.CharField(max_length=100, required=False)
    transcription = TranscriptionSettings(required=False)
    recording = RecordingSettings(required=False)
    automatic_leave = AutomaticLeaveSettings(required=False)
    streaming = StreamingSettings(required=False)
    entry_message = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    bot_image_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    webhook_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    metadata = serializers.DictField(required=False)
    deduplication_key = serializers.CharField(max_length=200, required=False, allow_blank=True)
    join_as = serializers.CharField(
        max_length=32,
        required=False,
        allow_null=True,
        help_text="id of a stored bot account (POST /api/v1/bot_accounts) the bot signs in as: Google for Meet, "
        "Microsoft for Teams; for meetings that refuse anonymous guests",
    )
    zoom = ZoomOptions(required=False, help_text="Zoom: a ZAK or OBF token, or an OAuth connection to fetch one")


class BotUpdateInput(BotCreateInput):
    meeting_url = serializers.CharField(max_length=2000, required=False)

    def get_fields(self):
        fields = super().get_fields()
        for name in ("project", "deduplication_key", "webhook_url", "streaming", "zoom"):
            fields.pop(name)
        return fields


class ZoomSummary(serializers.Serializer):
    token_type = serializers.ChoiceField(choices=["obf", "zak"], allow_null=True, help_text="null: no Zoom token")
    oauth_connection = serializers.CharField(allow_null=True)


class BotSerializer(serializers.ModelSerializer):
    meeting_id = serializers.CharField(read_only=True)
    project = serializers.CharField(source="project.name", read_only=True)
    status = serializers.ChoiceField(choices=BotStatus.choices, read_only=True)
    platform = serializers.ChoiceField(choices=Platform.choices, read_only=True)
    end_reason = serializers.CharField(allow_null=True, read_only=True)
    end_fault = serializers.ChoiceField(
        choices=EndFault.choices,
        allow_null=True,
        read_only=True,
        help_text="whose side ended the bot: host (the meeting's side), platform, or notula",
    )
    # Plain strings on output: a blank URLField is described as oneOf(empty, uri), which '' matches twice.
    meeting_url = serializers.CharField(read_only=True)
    bot_image_url = serializers.CharField(read_only=True)
    webhook_url = serializers.CharField(read_only=True)
    debug_screenshot_url = serializers.SerializerMethodField()
    debug_html_url = serializers.SerializerMethodField()
    join_as = serializers.CharField(source="join_as_id", read_only=True, allow_null=True)
    zoom = serializers.SerializerMethodField(help_text="the Zoom token's kind and connection; never the token")

    class Meta:
        model = Bot
        fields = [
            "id",
            "meeting_id",
            "project",
            "meeting_url",
            "platform",
            "bot_name",
            "status",
            "end_reason",
            "end_fault",
            "end_message",
            "recording_state",
            "join_at",
            "joined_at",
            "ended_at",
            "created_at",
            "updated_at",
            "leave_requested_at",
            "settings",
            "entry_message",
            "bot_image_url",
            "webhook_url",
            "metadata",
            "deduplication_key",
            "join_as",
            "zoom",
            "debug_screenshot_url",
            "debug_html_url",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["end_reason"] = instance.end_reason or None
        data["end_fault"] = instance.end_fault or None
        return data

    def _file_url(self, field) -> str | None:
        request = self.context.get("request")
        if not field:
            return None
        return request.build_absolute_uri(field.url) if request else field.url

    @extend_schema_field(ZoomSummary)
    def get_zoom(self, bot) -> dict:
        return bot_zoom_summary(bot)

    def get_debug_screenshot_url(self, bot) -> str | None:
        return self._file_url(bot.debug_screenshot)

    def get_debug_html_url(self, bot) -> str | None:
        return self._file_url(bot.debug_html)


class BotEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = BotEvent
        fields = ["event", "old_status", "new_status", "end_reason", "data", "created_at"]


class BotDetailSerializer(BotSerializer):
    events = BotEventSerializer(many=True, read_only=True)

    class Meta(BotSerializer.Meta):
        fields = BotSerializer.Meta.fields + ["events"]
