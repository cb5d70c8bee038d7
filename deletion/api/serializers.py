from rest_framework import serializers

from common.inputs import StrictFieldsMixin
from deletion.models import DataDeletion, Retention

# Ten years: longer is "forever" in all but name.
RETENTION_MAX_HOURS = 87600


class RetentionInput(StrictFieldsMixin, serializers.Serializer):
    type = serializers.ChoiceField(
        choices=Retention.choices, help_text="timed: deleted `hours` after the meeting ended; forever: kept"
    )
    hours = serializers.IntegerField(
        min_value=1,
        max_value=RETENTION_MAX_HOURS,
        required=False,
        help_text=f"with type timed (and only then): hours after the end, 1 to {RETENTION_MAX_HOURS}",
    )

    def validate(self, attrs: dict) -> dict:
        # A bot's PATCH validates partially, where a nested `type` is not required by the field itself.
        if "type" not in attrs:
            raise serializers.ValidationError({"type": ["required"]})
        if attrs["type"] == Retention.TIMED and "hours" not in attrs:
            raise serializers.ValidationError({"hours": ["required when type is timed"]})
        if attrs["type"] == Retention.FOREVER and "hours" in attrs:
            raise serializers.ValidationError({"hours": ["only with type timed"]})
        return attrs


class RetentionOut(serializers.Serializer):
    type = serializers.ChoiceField(choices=Retention.choices)
    hours = serializers.IntegerField(required=False)


class DataDeletionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        source="outcome", help_text="deleted, partially_deleted (see `failed`), already_deleted or no_data"
    )
    object = serializers.CharField(source="object_type", help_text="bot or meeting: what was asked for")
    bot_ids = serializers.ListField(child=serializers.CharField())
    removed = serializers.DictField(
        child=serializers.IntegerField(), help_text="each kind of data that went, with how many files or rows"
    )
    failed = serializers.DictField(child=serializers.CharField(), help_text="each kind that could not go, and why")
    requested_by = serializers.CharField(help_text="api_key:<id>, or retention")

    class Meta:
        model = DataDeletion
        fields = [
            "id",
            "status",
            "object",
            "object_id",
            "meeting_id",
            "bot_ids",
            "reason",
            "requested_by",
            "removed",
            "failed",
            "created_at",
        ]
