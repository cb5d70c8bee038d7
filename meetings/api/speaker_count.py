"""The `speaker_count` input of a file import: a whole number of speakers 1..N or "auto"."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

AUTO = "auto"


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": settings.DIARIZATION_MAX_SPEAKERS},
            {"type": "string", "enum": [AUTO]},
        ],
        "description": "label segments Speaker 1..N by offline diarization: how many people speak, or auto "
        "(at most NOTULA_DIARIZATION_MAX_SPEAKERS); absent: no speaker labels",
    }
)
class SpeakerCountField(serializers.Field):
    """An int, or "auto"; multipart sends digits as text. Returns the int, or None for "auto"."""

    def to_internal_value(self, data):
        maximum = settings.DIARIZATION_MAX_SPEAKERS
        message = f"a whole number from 1 to {maximum}, or auto"
        if data == AUTO:
            return AUTO
        if isinstance(data, str) and data.isascii() and data.isdigit():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int) or not 1 <= data <= maximum:
            raise serializers.ValidationError(message)
        return data

    def to_representation(self, value):
        return value
