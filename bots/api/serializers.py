from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bots.leave_rules import LEAVE_RULE_MAX_S
from bots.models import Bot, BotEvent, BotStatus, EndFault, EndReason
from bots.screenshots import MIN_INTERVAL_S as MIN_SCREENSHOT_INTERVAL_S
from bots.services.settings import bot_settings_public
from bots.zoom_auth import bot_zoom_summary
from common import net
from common.api import StrictFieldsMixin
from common.inputs import CsvChoiceField, DateTimeField, PageQuery
from common.media import media_link
from deletion.api.serializers import RetentionInput
from meetings.asr_choices import LANGUAGE_CHOICES
from meetings.models import Platform

# A bot can also take the platform's own captions; a file import cannot.
BOT_ASR_BACKEND_CHOICES = [
    "faster-whisper",
    "openai-whisper",
    "captions",
    "openai-compatible",
    "deepgram",
    "assemblyai",
]


class TranscriptionSettings(StrictFieldsMixin, serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    backend = serializers.ChoiceField(
        choices=BOT_ASR_BACKEND_CHOICES,
        required=False,
        help_text="default NOTULA_ASR_BACKEND; openai-compatible only where NOTULA_ASR_API_URL is set; "
        "deepgram and assemblyai with api_key or the server's own key",
    )
    api_key = serializers.CharField(
        required=False,
        max_length=500,
        write_only=True,
        help_text="deepgram, assemblyai: the provider's API key; stored encrypted and never shown again",
    )
    model = serializers.CharField(
        required=False,
        max_length=300,
        help_text="Whisper backends: tiny.en (English only), base, or the server's NOTULA_ASR_MODEL; "
        "openai-compatible: the remote server's model name; deepgram (default nova-3), assemblyai "
        "(default universal): the provider's model",
    )
    language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, required=False, help_text="a Whisper language code, or auto; tiny.en: en or auto"
    )
    partials = serializers.BooleanField(required=False, help_text="send caption.partial events")
    save_document = serializers.BooleanField(
        required=False, help_text="save the Markdown transcript document after the call (default true)"
    )


class RecordingSettings(StrictFieldsMixin, serializers.Serializer):
    mode = serializers.ChoiceField(choices=["audio_only", "speaker_view"], required=False)
    audio_format = serializers.ChoiceField(choices=["mp3", "opus", "flac", "wav"], required=False)
    include_bot_voice = serializers.BooleanField(
        required=False, help_text="what the bot says (speak, streaming.input) in its recording and transcript too"
    )
    per_participant = serializers.BooleanField(
        required=False,
        help_text="also one audio file per participant's track, in audio_format, besides the mixed recording",
    )


def _leave_rule(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0,
        max_value=LEAVE_RULE_MAX_S,
        required=False,
        allow_null=True,
        help_text=f"{help_text}; seconds, at most {LEAVE_RULE_MAX_S} (24 h); 0 or null turns the rule off",
    )


class AutomaticLeaveSettings(StrictFieldsMixin, serializers.Serializer):
    waiting_room_timeout = _leave_rule("leave if not admitted within")
    noone_joined_timeout = _leave_rule("leave if nobody else joined within, from the admission")
    everyone_left_timeout = _leave_rule("leave once alone for")
    silence_timeout = _leave_rule("leave after this much silence")
    max_duration = _leave_rule("leave after this long in the call")
    recording_permission_denied_timeout = serializers.IntegerField(
        min_value=1,
        max_value=86400,
        required=False,
        help_text="Zoom: seconds the host may take to allow recording before the bot leaves",
    )


def _outbound_url(schemes: tuple[str, ...], subject: str):
    """The common outbound check at the edge: URL shape and hosts that are non-public addresses."""

    def check(value: str | None) -> None:
        problem = net.url_problem(value, schemes=schemes, subject=subject) if value else None
        if problem:
            raise serializers.ValidationError(problem)

    return check


class StreamingSettings(StrictFieldsMixin, serializers.Serializer):
    audio_url = serializers.CharField(
        max_length=2000,
        required=False,
        allow_null=True,
        validators=[_outbound_url(net.WEBSOCKET, "audio_url")],
        help_text="ws(s):// URL that receives live PCM audio",
    )
    input = serializers.CharField(
        max_length=2000,
        required=False,
        allow_null=True,
        validators=[_outbound_url(net.WEBSOCKET, "input")],
        help_text="ws(s):// URL whose binary frames (mono PCM16 LE) the bot plays into the meeting",
    )
    input_sample_rate = serializers.ChoiceField(
        choices=[16000, 24000], required=False, help_text="the sample rate of `input`'s audio (default 16000)"
    )


class ScreenshotSettings(StrictFieldsMixin, serializers.Serializer):
    interval_s = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=86400,
        help_text="seconds between two screenshots of the bot's page in the call "
        "(GET /api/v1/bots/{id}/screenshots); 0 for none, else at least 5",
    )

    def validate_interval_s(self, value):
        if value and value < MIN_SCREENSHOT_INTERVAL_S:
            raise serializers.ValidationError(f"0 (none) or at least {MIN_SCREENSHOT_INTERVAL_S} seconds")
        return value


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
    join_at = DateTimeField(required=False, allow_null=True, help_text="RFC 3339 with an offset, in the future")
    project = serializers.CharField(max_length=100, required=False)
    transcription = TranscriptionSettings(required=False)
    recording = RecordingSettings(required=False)
    automatic_leave = AutomaticLeaveSettings(required=False)
    streaming = StreamingSettings(required=False)
    screenshots = ScreenshotSettings(required=False)
    entry_message = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    bot_image_url = serializers.URLField(
        max_length=2000, required=False, allow_blank=True, validators=[_outbound_url(net.HTTP, "bot_image_url")]
    )
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
    retention = RetentionInput(
        required=False,
        help_text="how long the meeting's data is kept after the bot ended; default: the organization's "
        "(GET /api/v1/retention)",
    )


class BotUpdateInput(BotCreateInput):
    meeting_url = serializers.CharField(max_length=2000, required=False)
    # A scheduled bot keeps a join_at: clearing it would mean "join now" (DELETE and create instead).
    join_at = DateTimeField(required=False, help_text="RFC 3339 with an offset, in the future")

    def get_fields(self):
        fields = super().get_fields()
        for name in ("project", "deduplication_key", "webhook_url", "streaming", "zoom"):
            fields.pop(name)
        return fields


class BotWarningSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="camera_off, entry_message_not_sent, no_video")
    message = serializers.CharField()
    at = serializers.DateTimeField()


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
    warnings = BotWarningSerializer(many=True, read_only=True)
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
            "warnings",
            "join_as",
            "zoom",
            "debug_screenshot_url",
            "debug_html_url",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["end_reason"] = instance.end_reason or None
        data["end_fault"] = instance.end_fault or None
        data["settings"] = bot_settings_public(instance.settings or {})
        return data

    def _file_url(self, field) -> str | None:
        # A signed link (NOTULA_MEDIA_LINK_TTL_S): it opens in a browser without the API key.
        return media_link(field.name, request=self.context.get("request"))[0] if field else None

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


class BotListQuery(PageQuery):
    """GET /api/v1/bots. Text filters match a part of the value, ignoring case; times are ISO 8601."""

    extra_prefixes = ("metadata.",)

    status = CsvChoiceField(choices=BotStatus.values, required=False)
    platform = CsvChoiceField(choices=Platform.values, required=False)
    end_fault = CsvChoiceField(choices=EndFault.values, required=False, help_text="host, platform or notula")
    end_reason = CsvChoiceField(choices=EndReason.values, required=False)
    meeting_url = serializers.CharField(required=False, max_length=2000, help_text="part of the meeting URL")
    bot_name = serializers.CharField(required=False, max_length=100, help_text="part of the bot's name")
    speaker_name = serializers.CharField(
        required=False, max_length=200, help_text="part of the name of someone who was in the meeting"
    )
    created_after = DateTimeField(in_query=True, required=False, help_text="created at or after")
    created_before = DateTimeField(in_query=True, required=False, help_text="created before")
    ended_after = DateTimeField(in_query=True, required=False, help_text="ended (or failed) at or after")
    ended_before = DateTimeField(in_query=True, required=False, help_text="ended (or failed) before")
