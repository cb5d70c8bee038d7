from rest_framework import serializers

from common.api import StrictFieldsMixin
from common.inputs import QueryParams
from meetings.events import ALIASES, EventType
from webhooks.models import WebhookDelivery, WebhookEndpoint


class EndpointInput(StrictFieldsMixin, serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=[*EventType.ALL, *ALIASES]),
        required=False,
        help_text="event types to receive (meeting and organization events); empty or absent: all. "
        "The old names (participant_joined, ...) are accepted as aliases and stored as the new ones.",
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


class AttemptSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True)
    latency_ms = serializers.IntegerField()
    error = serializers.CharField()
    response_excerpt = serializers.CharField()


class DeliverySerializer(serializers.ModelSerializer):
    endpoint_id = serializers.CharField()
    event_id = serializers.CharField()
    event_type = serializers.CharField(source="event.type")
    meeting_id = serializers.CharField(
        source="event.meeting_id", allow_null=True, help_text="null: an organization event"
    )
    sequence = serializers.IntegerField(source="event.sequence")
    attempt_log = AttemptSerializer(many=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint_id",
            "event_id",
            "event_type",
            "meeting_id",
            "sequence",
            "status",
            "attempts",
            "next_attempt_at",
            "retry_until",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "attempt_log",
        ]


class DeliveryPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = DeliverySerializer(many=True)


class TestResultSerializer(serializers.Serializer):
    delivered = serializers.BooleanField()
    status_code = serializers.IntegerField(allow_null=True)
    latency_ms = serializers.IntegerField()
    error = serializers.CharField()
    response_excerpt = serializers.CharField()
    event = serializers.DictField()


class DeliveriesQuery(QueryParams):
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.values, required=False)
    limit = serializers.IntegerField(required=False, default=50, min_value=1, max_value=200, help_text="default 50")
    offset = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10**9)
