from rest_framework import serializers

from common.inputs import StrictFieldsMixin
from meetings.models import Platform


class MeetingCreateInput(StrictFieldsMixin, serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    scenario = serializers.JSONField(required=False, default=dict, help_text="See docs/simulator.md")


class SayInput(StrictFieldsMixin, serializers.Serializer):
    participant = serializers.CharField(max_length=80)
    text = serializers.CharField(max_length=500)


class ParticipantInput(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=80)
    voice = serializers.CharField(max_length=40, required=False, default="en-us")
