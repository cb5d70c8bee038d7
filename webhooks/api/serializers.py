from rest_framework import serializers

from meetings.events import EventType
from webhooks.models import WebhookEndpoint


class EndpointInput(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EventType.ALL)),
        required=False,
        help_text="event types to receive; empty or absent: all",
    )
    format = serializers.ChoiceField(choices=WebhookEndpoint.Format.choices, required=False)
    active = serializers.BooleanField(required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["unknown field"] for name in unknown})
        return super().to_internal_value(data)


class EndpointSerializer(serializers.ModelSerializer):
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
