from rest_framework import serializers

from bots.api.serializers import AutomaticLeaveSettings, RecordingSettings, TranscriptionSettings
from calendars.models import Calendar, CalendarEvent
from common.api import StrictFieldsMixin
from common.inputs import DateTimeField, QueryParams


class CalendarRules(StrictFieldsMixin, serializers.Serializer):
    auto_schedule = serializers.BooleanField(required=False, help_text="send bots by themselves (default true)")
    only_accepted = serializers.BooleanField(required=False, help_text="only meetings the calendar's owner accepted")
    only_internal = serializers.BooleanField(
        required=False, help_text="only meetings organised from internal_domains (default: the calendar's domain)"
    )
    internal_domains = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    skip_titles = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="no bot when the title contains one"
    )
    bot_name = serializers.CharField(max_length=100, required=False, allow_blank=True)


class CalendarCreateInput(CalendarRules):
    provider = serializers.ChoiceField(choices=Calendar.Provider.choices)
    ics_url = serializers.CharField(max_length=2000, required=False, write_only=True, help_text="provider ics")
    refresh_token = serializers.CharField(
        max_length=4000, required=False, write_only=True, help_text="provider google or microsoft: from your consent"
    )
    oauth_client_id = serializers.CharField(max_length=500, required=False, help_text="the client the token is for")
    oauth_client_secret = serializers.CharField(max_length=500, required=False, write_only=True)
    raw_calendar_id = serializers.CharField(
        max_length=500, required=False, help_text="google: the calendar to read (default: primary)"
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, help_text="ics: the owner's address")


class CalendarUpdateInput(CalendarRules):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CalendarSerializer(serializers.ModelSerializer):
    """A calendar as the API shows it: never its credentials."""

    provider = serializers.ChoiceField(choices=Calendar.Provider.choices, read_only=True)
    state = serializers.ChoiceField(choices=Calendar.State.choices, read_only=True)

    class Meta:
        model = Calendar
        fields = [
            "id",
            "provider",
            "name",
            "email",
            "state",
            "state_reason",
            "auto_schedule",
            "only_accepted",
            "only_internal",
            "internal_domains",
            "skip_titles",
            "bot_name",
            "last_synced_at",
            "created_at",
        ]
        read_only_fields = fields


class CalendarEventSerializer(serializers.ModelSerializer):
    calendar_id = serializers.CharField(read_only=True)
    bot_id = serializers.CharField(read_only=True, allow_null=True)
    bot_status = serializers.SerializerMethodField()
    bot_join_at = serializers.SerializerMethodField()

    class Meta:
        model = CalendarEvent
        fields = [
            "id",
            "calendar_id",
            "provider_event_id",
            "series_id",
            "original_start",
            "start",
            "end",
            "time_zone",
            "title",
            "organizer_email",
            "attendees",
            "self_response",
            "meeting_url",
            "is_deleted",
            "bot_wanted",
            "bot_settings",
            "bot_id",
            "bot_status",
            "bot_join_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_bot_status(self, event) -> str | None:
        return event.bot.status if event.bot else None

    def get_bot_join_at(self, event) -> str | None:
        return event.bot.join_at.isoformat() if event.bot and event.bot.join_at else None


class CalendarEventListQuery(QueryParams):
    calendar_id = serializers.CharField(required=False, max_length=32)
    start_after = DateTimeField(in_query=True, required=False, help_text="ending after (default: now)")
    start_before = DateTimeField(in_query=True, required=False, help_text="starting before")
    include_deleted = serializers.ChoiceField(choices=["true", "false"], required=False)


class AllOccurrencesQuery(QueryParams):
    all_occurrences = serializers.ChoiceField(
        choices=["true", "false"], required=False, help_text="true: every upcoming occurrence of the series"
    )


class EventBotInput(StrictFieldsMixin, serializers.Serializer):
    bot_name = serializers.CharField(max_length=100, required=False)
    entry_message = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    transcription = TranscriptionSettings(required=False)
    recording = RecordingSettings(required=False)
    automatic_leave = AutomaticLeaveSettings(required=False)
    metadata = serializers.DictField(required=False)
