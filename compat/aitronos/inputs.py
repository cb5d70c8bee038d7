"""Aitronos' request body and query strings (seed 002), read strictly."""

from rest_framework import serializers

from common.inputs import QueryParams, StrictFieldsMixin
from meetings.asr_choices import LANGUAGE_CHOICES

SESSION_STATUSES = ["initializing", "joining", "active", "recording", "leaving", "completed", "failed"]


class SessionCreateInput(StrictFieldsMixin, serializers.Serializer):
    meeting_link = serializers.CharField(max_length=2000)
    bot_name = serializers.CharField(max_length=100, required=False, default="Meeting Buddy")
    transcription_enabled = serializers.BooleanField(required=False, default=True)
    transcription_language = serializers.ChoiceField(choices=LANGUAGE_CHOICES, required=False, default="en")


class SessionListQuery(QueryParams):
    status = serializers.ChoiceField(choices=SESSION_STATUSES, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=200, required=False, default=50)
