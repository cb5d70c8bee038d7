from rest_framework import serializers

from common.api import StrictFieldsMixin
from meetings.events import EventType
from webhooks.models import WebhookEndpoint


class EndpointInput(StrictFieldsMixin, serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EventType.ALL)),
        required=False,
        help_text="event types to receive; empty or absent: all",
    )
    format = serializers.ChoiceField(choices=WebhookEndpoint.Format.choices, required=False)
    active = serializers.BooleanField(required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(child=serializers.CharField(), help_text="empty: every event type")

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "event_types",
            "format",
            "active",
            "description",
            "disabled_reason",
            "failing_since",
            "created_at",
            "updated_at",
        ]


class EndpointCreatedSerializer(EndpointSerializer):
    class Meta(EndpointSerializer.Meta):
        fields = EndpointSerializer.Meta.fields + ["secret"]
