"""Meeting BaaS's calendar bodies and queries (OpenAPI `CreateCalendarParams`, `BotParam2`/`BotParam3`,
`QueryListEvent`), read strictly; a calendar event's bot parameters become a JoinRequest's."""

from rest_framework import serializers

from common.inputs import DateTimeField, QueryParams, StrictFieldsMixin
from compat.meetingbaas.inputs import JoinInput

LEAVE_NAMES = ("noone_joined_timeout", "silence_timeout", "waiting_room_timeout")
PLATFORMS = {"Google": "google", "Microsoft": "microsoft"}


class PlatformField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=list(PLATFORMS), **kwargs)

    def to_internal_value(self, data):
        return PLATFORMS[super().to_internal_value(data)]


class OAuthInput(StrictFieldsMixin, serializers.Serializer):
    oauth_client_id = serializers.CharField(max_length=500)
    oauth_client_secret = serializers.CharField(max_length=500)
    oauth_refresh_token = serializers.CharField(max_length=4000)
    platform = PlatformField()


class CreateCalendarInput(OAuthInput):
    raw_calendar_id = serializers.CharField(max_length=500, required=False, allow_null=True, allow_blank=True)


class EventBotInput(StrictFieldsMixin, serializers.Serializer):
    """BotParam2 (POST; bot_name required) and BotParam3 (PATCH; every field optional): the JoinRequest's
    options with `enter_message` and the streaming fields flattened."""

    bot_name = serializers.CharField(max_length=100)
    bot_image = serializers.CharField(max_length=2000, required=False, allow_null=True)
    deduplication_key = serializers.CharField(max_length=200, required=False, allow_null=True)
    enter_message = serializers.CharField(max_length=1000, required=False, allow_null=True, allow_blank=True)
    extra = serializers.DictField(required=False, allow_null=True)
    noone_joined_timeout = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    silence_timeout = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    waiting_room_timeout = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    recording_mode = serializers.CharField(required=False, allow_null=True)
    speech_to_text = serializers.JSONField(required=False, allow_null=True)
    streaming_audio_frequency = serializers.CharField(required=False, allow_null=True)
    streaming_input = serializers.CharField(max_length=2000, required=False, allow_null=True)
    streaming_output = serializers.CharField(max_length=2000, required=False, allow_null=True)
    transcription_custom_parameters = serializers.JSONField(required=False, allow_null=True)
    webhook_url = serializers.CharField(max_length=2000, required=False, allow_null=True)
    zoom_access_token_url = serializers.CharField(required=False, allow_null=True)
    zoom_obf_token = serializers.CharField(required=False, allow_null=True)
    zoom_obf_token_url = serializers.CharField(required=False, allow_null=True)
    zoom_obf_token_user_id = serializers.CharField(required=False, allow_null=True)
    zoom_sdk_id = serializers.CharField(required=False, allow_null=True)
    zoom_sdk_pwd = serializers.CharField(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs.get("deduplication_key"):
            # A calendar's bots are told apart by their meeting and its start already.
            raise serializers.ValidationError(
                {"deduplication_key": ["a calendar event's bot is deduplicated by the event's meeting and start"]}
            )
        join = {k: v for k, v in attrs.items() if v is not None and not k.startswith(("streaming_", "enter_"))}
        join.pop("deduplication_key", None)
        leave = {k: join.pop(k) for k in LEAVE_NAMES if k in join}
        if leave:
            join["automatic_leave"] = leave
        streaming = {
            name: attrs[f"streaming_{name}"]
            for name in ("input", "output", "audio_frequency")
            if attrs.get(f"streaming_{name}") is not None
        }
        if streaming:
            join["streaming"] = streaming
        if attrs.get("enter_message") is not None:
            join["entry_message"] = attrs["enter_message"]
        # The placeholder meeting is never used: the event's own link is.
        checked = JoinInput(data={**join, "meeting_url": "https://meet.google.com/aaa-bbbb-ccc"}, partial=self.partial)
        checked.is_valid(raise_exception=True)
        return {k: v for k, v in checked.validated_data.items() if k in join}


class EventListQuery(QueryParams):
    calendar_id = serializers.CharField(max_length=64)
    attendee_email = serializers.CharField(max_length=254, required=False)
    organizer_email = serializers.CharField(max_length=254, required=False)
    cursor = serializers.CharField(max_length=200, required=False)
    start_date_gte = DateTimeField(in_query=True, required=False)
    start_date_lte = DateTimeField(in_query=True, required=False)
    status = serializers.ChoiceField(choices=["upcoming", "past", "all"], required=False, default="upcoming")
    updated_at_gte = DateTimeField(in_query=True, required=False)


class AllOccurrencesQuery(QueryParams):
    all_occurrences = serializers.BooleanField(required=False, default=False)


class ResyncQuery(QueryParams):
    days = serializers.IntegerField(required=False, min_value=1, max_value=365)
