"""Meeting BaaS's request bodies and query strings (OpenAPI `JoinRequest`, `RetranscribeBody`,
`GetAllBotsQuery`), read strictly: a value Notula cannot honour is refused by name, never ignored."""

from rest_framework import serializers

from bots.api.serializers import _outbound_url
from common import net
from common.inputs import DateTimeField, QueryParams, StrictFieldsMixin

PROVIDERS = ["Gladia", "Runpod", "Default"]
NOT_SERVED = "is not served by Notula (docs/compat.md, Meeting BaaS)"


def _refuse_if_given(attrs: dict, names: tuple[str, ...], why: str) -> None:
    given = {name: [f"{name} {why}"] for name in names if attrs.get(name) not in (None, "", {}, False)}
    if given:
        raise serializers.ValidationError(given)


class SpeechToTextField(serializers.Field):
    """`"Default"` or `{provider: "Default", api_key?}`: Notula's own Whisper. Gladia and Runpod are
    other companies' services that Notula does not call."""

    def to_internal_value(self, data):
        provider = data.get("provider") if isinstance(data, dict) else data
        if isinstance(data, dict) and set(data) - {"provider", "api_key"}:
            raise serializers.ValidationError(f"unknown keys {sorted(set(data) - {'provider', 'api_key'})}")
        if provider not in PROVIDERS:
            raise serializers.ValidationError(f"provider must be one of {', '.join(PROVIDERS)}")
        if provider != "Default":
            raise serializers.ValidationError(f"provider {provider} {NOT_SERVED}; use Default (Notula's own Whisper)")
        if isinstance(data, dict) and data.get("api_key"):
            raise serializers.ValidationError("api_key goes with Gladia or Runpod, which are not served")
        return provider

    def to_representation(self, value):
        return value


class AutomaticLeaveInput(StrictFieldsMixin, serializers.Serializer):
    noone_joined_timeout = serializers.IntegerField(min_value=0, max_value=86400, required=False, allow_null=True)
    silence_timeout = serializers.IntegerField(min_value=0, max_value=86400, required=False, allow_null=True)
    waiting_room_timeout = serializers.IntegerField(min_value=0, max_value=86400, required=False, allow_null=True)


class StreamingInput(StrictFieldsMixin, serializers.Serializer):
    # input: receives the meeting's audio; output: audio the bot plays into the meeting (vendor docs).
    input = serializers.CharField(
        max_length=2000, required=False, allow_null=True, validators=[_outbound_url(net.WEBSOCKET, "streaming.input")]
    )
    output = serializers.CharField(
        max_length=2000, required=False, allow_null=True, validators=[_outbound_url(net.WEBSOCKET, "streaming.output")]
    )
    audio_frequency = serializers.ChoiceField(choices=["16khz", "24khz"], required=False, allow_null=True)


class TranscriptionParametersInput(StrictFieldsMixin, serializers.Serializer):
    language = serializers.CharField(max_length=16, required=False)


class JoinInput(StrictFieldsMixin, serializers.Serializer):
    bot_name = serializers.CharField(max_length=100)
    meeting_url = serializers.CharField(max_length=2000)
    automatic_leave = AutomaticLeaveInput(required=False, allow_null=True)
    bot_image = serializers.URLField(
        max_length=2000, required=False, allow_null=True, validators=[_outbound_url(net.HTTP, "bot_image")]
    )
    deduplication_key = serializers.CharField(max_length=200, required=False, allow_null=True, allow_blank=True)
    entry_message = serializers.CharField(max_length=1000, required=False, allow_null=True, allow_blank=True)
    extra = serializers.DictField(required=False, allow_null=True)
    recording_mode = serializers.ChoiceField(
        choices=["speaker_view", "gallery_view", "audio_only"], required=False, allow_null=True
    )
    reserved = serializers.BooleanField(required=False)
    speech_to_text = SpeechToTextField(required=False, allow_null=True)
    start_time = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    streaming = StreamingInput(required=False, allow_null=True)
    transcription_custom_parameters = TranscriptionParametersInput(required=False, allow_null=True)
    webhook_url = serializers.URLField(max_length=2000, required=False, allow_null=True, allow_blank=True)
    zoom_obf_token = serializers.CharField(max_length=4000, required=False, allow_null=True)
    zoom_obf_token_user_id = serializers.CharField(max_length=100, required=False, allow_null=True)
    zoom_access_token_url = serializers.CharField(max_length=2000, required=False, allow_null=True)
    zoom_obf_token_url = serializers.CharField(max_length=2000, required=False, allow_null=True)
    zoom_sdk_id = serializers.CharField(max_length=200, required=False, allow_null=True)
    zoom_sdk_pwd = serializers.CharField(max_length=200, required=False, allow_null=True)

    def validate(self, attrs):
        if attrs.get("recording_mode") == "gallery_view":
            raise serializers.ValidationError({"recording_mode": ["gallery_view " + NOT_SERVED]})
        if attrs.get("reserved"):
            raise serializers.ValidationError({"reserved": ["reserved is deprecated: give start_time instead"]})
        # Notula's bot joins Zoom from the web client: no Zoom SDK app, and tokens are given, not fetched.
        _refuse_if_given(attrs, ("zoom_sdk_id", "zoom_sdk_pwd"), NOT_SERVED + ": Notula joins Zoom from the web")
        _refuse_if_given(
            attrs, ("zoom_access_token_url", "zoom_obf_token_url"), NOT_SERVED + ": give zoom_obf_token instead"
        )
        return attrs


class RetranscribeInput(StrictFieldsMixin, serializers.Serializer):
    bot_uuid = serializers.CharField(max_length=64)
    speech_to_text = SpeechToTextField(required=False, allow_null=True)
    webhook_url = serializers.URLField(max_length=2000, required=False, allow_null=True)

    def validate(self, attrs):
        _refuse_if_given(attrs, ("webhook_url",), "is the bot's own: its webhooks go to the bot's webhook_url")
        return attrs


class EmptyInput(StrictFieldsMixin, serializers.Serializer):
    pass


class MeetingDataQuery(QueryParams):
    bot_id = serializers.CharField(max_length=64)
    include_transcripts = serializers.BooleanField(required=False, default=True)


class BotsQuery(QueryParams):
    bot_name = serializers.CharField(required=False, max_length=100)
    created_after = DateTimeField(in_query=True, required=False)
    created_before = DateTimeField(in_query=True, required=False)
    cursor = serializers.CharField(required=False, max_length=200)
    ended_after = DateTimeField(in_query=True, required=False)
    filter_by_extra = serializers.CharField(required=False, max_length=2000)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=10)
    meeting_url = serializers.CharField(required=False, max_length=2000)
    sort_by_extra = serializers.CharField(required=False, max_length=200)
    speaker_name = serializers.CharField(required=False, max_length=200)

    def validate_filter_by_extra(self, value: str) -> dict:
        pairs = {}
        for part in value.split(","):
            key, colon, wanted = part.partition(":")
            if not colon or not key.strip():
                raise serializers.ValidationError(f"'{part}' is not key:value (e.g. customer_id:12345,status:active)")
            pairs[key.strip()] = wanted.strip()
        return pairs

    def validate_sort_by_extra(self, value: str) -> tuple[str, bool]:
        key, colon, order = value.partition(":")
        if not key or order.lower() not in ("", "asc", "desc"):
            raise serializers.ValidationError("field or field:asc or field:desc")
        return key, order.lower() == "desc"
