"""Sasha's request bodies (seed 000), read as strictly as the native API's."""

from rest_framework import serializers

from common.inputs import StrictFieldsMixin


class StartInput(StrictFieldsMixin, serializers.Serializer):
    url = serializers.CharField(max_length=2000)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    callbackUrl = serializers.URLField(max_length=2000)  # noqa: N815 - Sasha's own field name
    project = serializers.CharField(max_length=100, required=False, allow_blank=False)
    saveTranscript = serializers.BooleanField(required=False, default=True)  # noqa: N815


class StopInput(StrictFieldsMixin, serializers.Serializer):
    meetingId = serializers.CharField(max_length=100)  # noqa: N815
