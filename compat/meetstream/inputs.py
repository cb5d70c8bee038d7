"""MeetStream's `create_bot` body (seed 003, vendor-clients.md §3), read strictly: a field Notula does
not serve yet is refused by name rather than ignored."""

from rest_framework import serializers

from bots.api.serializers import _outbound_url
from common import net
from common.inputs import QueryParams, StrictFieldsMixin
from deletion.api.serializers import RetentionInput

PROVIDERS = ["deepgram", "deepgram_streaming", "assemblyai", "assemblyai_streaming", "jigsawstack", "meeting_captions"]


class LiveAudioInput(StrictFieldsMixin, serializers.Serializer):
    websocket_url = serializers.CharField(max_length=2000, validators=[_outbound_url(net.WEBSOCKET, "websocket_url")])


class LiveTranscriptionInput(StrictFieldsMixin, serializers.Serializer):
    webhook_url = serializers.URLField(
        max_length=2000, required=False, validators=[_outbound_url(net.HTTP, "webhook_url")]
    )
    websocket_url = serializers.CharField(
        max_length=2000, required=False, validators=[_outbound_url(net.WEBSOCKET, "websocket_url")]
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs:
            raise serializers.ValidationError({"webhook_url": ["give webhook_url, websocket_url or both"]})
        return attrs


class SocketConnectionField(serializers.Field):
    """`socket_connection_url`: a ws(s):// URL, or `{"websocket_url": ...}` (both forms are documented)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            if set(data) != {"websocket_url"}:
                raise serializers.ValidationError("a ws(s):// URL, or an object with websocket_url only")
            data = data["websocket_url"]
        if not isinstance(data, str) or not data or len(data) > 2000:
            raise serializers.ValidationError("a ws(s):// URL of at most 2000 characters")
        _outbound_url(net.WEBSOCKET, "socket_connection_url")(data)
        return data

    def to_representation(self, value):
        return value


class TranscriptConfigInput(StrictFieldsMixin, serializers.Serializer):
    # `{provider: {deepgram: {...}}}`: any provider is accepted and answered by Notula's own ASR.
    provider = serializers.DictField(required=False)

    def validate_provider(self, value: dict) -> dict:
        if len(value) != 1 or next(iter(value)) not in PROVIDERS:
            raise serializers.ValidationError(f"name exactly one provider of {', '.join(PROVIDERS)}")
        return value


# MeetStream's realtime event names -> Notula's event types.
REALTIME_EVENTS = {"participant_events.join": "participant.joined", "participant_events.leave": "participant.left"}


class RealtimeEndpointInput(StrictFieldsMixin, serializers.Serializer):
    type = serializers.ChoiceField(choices=["webhook"])
    url = serializers.URLField(max_length=2000, validators=[_outbound_url(net.HTTP, "url")])
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=list(REALTIME_EVENTS)), min_length=1, max_length=len(REALTIME_EVENTS)
    )


class RecordingConfigInput(StrictFieldsMixin, serializers.Serializer):
    transcript = TranscriptConfigInput(required=False)
    retention = RetentionInput(required=False)
    realtime_endpoints = RealtimeEndpointInput(many=True, required=False, max_length=10)


class AutomaticLeaveInput(StrictFieldsMixin, serializers.Serializer):
    waiting_room_timeout = serializers.IntegerField(min_value=10, max_value=86400, required=False)
    everyone_left_timeout = serializers.IntegerField(min_value=1, max_value=86400, required=False)
    in_call_recording_timeout = serializers.IntegerField(min_value=60, max_value=86400, required=False)
    recording_permission_denied_timeout = serializers.IntegerField(min_value=10, max_value=3600, required=False)


class CreateBotInput(StrictFieldsMixin, serializers.Serializer):
    meeting_link = serializers.CharField(max_length=2000)
    bot_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    audio_required = serializers.BooleanField(required=False, default=True)
    video_required = serializers.BooleanField(required=False, default=False)
    bot_message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    bot_image_url = serializers.URLField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        validators=[_outbound_url(net.HTTP, "bot_image_url")],
    )
    join_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    callback_url = serializers.URLField(max_length=2000, required=False, allow_blank=True, default="")
    custom_attributes = serializers.DictField(required=False, default=dict)
    live_audio_required = LiveAudioInput(required=False)
    live_transcription_required = LiveTranscriptionInput(required=False)
    socket_connection_url = SocketConnectionField(required=False)
    recording_config = RecordingConfigInput(required=False)
    automatic_leave = AutomaticLeaveInput(required=False)


class SendMessageInput(StrictFieldsMixin, serializers.Serializer):
    message = serializers.CharField(max_length=500)


class SendImageInput(StrictFieldsMixin, serializers.Serializer):
    img_url = serializers.URLField(max_length=2000, validators=[_outbound_url(net.HTTP, "img_url")])
    display_duration = serializers.IntegerField(min_value=1, max_value=3600, required=False)


class EmptyInput(StrictFieldsMixin, serializers.Serializer):
    pass


class TranscriptQuery(QueryParams):
    # The official SDK always sends `raw=false`, the unofficial client `raw=True` when asked; Notula's
    # segments are the same either way (the words as transcribed).
    raw = serializers.ChoiceField(choices=["true", "false", "True", "False"], required=False)
