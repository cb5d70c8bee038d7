from rest_framework import serializers

from meetings.models import Platform


class MeetingCreateInput(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    scenario = serializers.JSONField(required=False, default=dict, help_text="See docs/simulator.md")


class SayInput(serializers.Serializer):
    participant = serializers.CharField(max_length=80)
    text = serializers.CharField(max_length=500)


class ParticipantInput(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    voice = serializers.CharField(max_length=40, required=False, default="en-us")
