"""Meemo's request bodies and query strings (seed 004, vendor-clients.md §4), read strictly: a field
Notula cannot honour is refused by name rather than ignored."""

from rest_framework import serializers

from common.inputs import DateTimeField, QueryParams, StrictFieldsMixin
from compat.meemo.status import STATUSES
from compat.meemo.webhook_events import MEEMO_EVENTS

BOOLEAN = ["true", "false", "True", "False"]


class AttendeeInput(StrictFieldsMixin, serializers.Serializer):
    email = serializers.EmailField(required=False, allow_null=True)
    display_name = serializers.CharField(max_length=200, required=False, allow_null=True)
    response_status = serializers.CharField(max_length=40, required=False, allow_null=True)


class CalendarEventInput(StrictFieldsMixin, serializers.Serializer):
    """The calendar event's snapshot, kept with the meeting as sent (Meemo answers it back)."""

    event_id = serializers.CharField(max_length=300)
    summary = serializers.CharField(max_length=500, required=False, allow_null=True, allow_blank=True)
    organizer_email = serializers.EmailField(required=False, allow_null=True)
    attendees = AttendeeInput(many=True, required=False)
    meeting_link = serializers.CharField(max_length=2000, required=False, allow_null=True, allow_blank=True)
    description = serializers.CharField(max_length=5000, required=False, allow_null=True, allow_blank=True)
    start_time = DateTimeField(required=False, allow_null=True)
    end_time = DateTimeField(required=False, allow_null=True)


class CreateMeetingInput(StrictFieldsMixin, serializers.Serializer):
    organization_id = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=300)
    start_time = DateTimeField(required=False)
    user_token = serializers.CharField(required=False)
    topic_id = serializers.IntegerField(min_value=1, required=False)
    participants = serializers.ListField(child=serializers.EmailField(), required=False, max_length=500)
    bot_meeting_url = serializers.CharField(max_length=2000, required=False)
    bot_join_at = DateTimeField(required=False)
    file_url = serializers.URLField(max_length=2000, required=False)
    speaker_count = serializers.IntegerField(min_value=1, required=False)
    calendar_event = CalendarEventInput(required=False)

    def validate(self, data):
        if "user_token" in data:
            raise serializers.ValidationError(
                {"user_token": ["not supported: meetings belong to the organization of the API key"]}
            )
        if ("bot_meeting_url" in data) == ("file_url" in data):
            message = "send exactly one of bot_meeting_url and file_url"
            raise serializers.ValidationError({"bot_meeting_url": [message], "file_url": [message]})
        if "bot_join_at" in data and "bot_meeting_url" not in data:
            raise serializers.ValidationError({"bot_join_at": ["only with bot_meeting_url"]})
        if "file_url" in data:
            # A file import has no bot to keep these with: refused rather than dropped.
            for name in ("start_time", "participants", "calendar_event"):
                if name in data:
                    raise serializers.ValidationError({name: ["only with bot_meeting_url"]})
        return data


class MeetingListQuery(QueryParams):
    organization_id = serializers.IntegerField(min_value=1, required=False)
    title = serializers.CharField(max_length=300, required=False)
    search = serializers.CharField(max_length=300, required=False)
    participants = serializers.RegexField(r"^\d+(,\d+)*$", max_length=2000, required=False)
    created_after = serializers.DateField(required=False)
    created_before = serializers.DateField(required=False)
    start_after = serializers.DateField(required=False)
    start_before = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=STATUSES, required=False)
    summary_complete = serializers.ChoiceField(choices=BOOLEAN, required=False)
    from_calendar = serializers.ChoiceField(choices=BOOLEAN, required=False)
    calendar_event_id = serializers.CharField(max_length=300, required=False)
    meeting_link = serializers.CharField(max_length=2000, required=False)
    calendar_event_name = serializers.CharField(max_length=500, required=False)
    calendar_event_description = serializers.CharField(max_length=5000, required=False)
    page = serializers.IntegerField(min_value=1, required=False)
    size = serializers.IntegerField(min_value=1, max_value=100, required=False)


class OrganizationQuery(QueryParams):
    organization_id = serializers.IntegerField(min_value=1, required=False)


class UsageQuery(OrganizationQuery):
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)


class UpcomingQuery(OrganizationQuery):
    limit = serializers.IntegerField(min_value=1, max_value=100, required=False)


class WebhookEventsQuery(QueryParams):
    webhook_id = serializers.IntegerField(min_value=1, required=False)
    page = serializers.IntegerField(min_value=1, required=False)
    size = serializers.IntegerField(min_value=1, max_value=100, required=False)


class PageOnlyQuery(QueryParams):
    page = serializers.IntegerField(min_value=1, required=False)
    size = serializers.IntegerField(min_value=1, max_value=100, required=False)


class CreateWebhookInput(StrictFieldsMixin, serializers.Serializer):
    target_url = serializers.URLField(max_length=2000)
    events = serializers.ListField(child=serializers.ChoiceField(choices=MEEMO_EVENTS), min_length=1)
    organization_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
