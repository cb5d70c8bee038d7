from rest_framework import serializers

from meetings.models import Platform
from simulator.models import SimAccount


class MeetingCreateInput(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    scenario = serializers.JSONField(required=False, default=dict, help_text="See docs/simulator.md")


class SayInput(serializers.Serializer):
    participant = serializers.CharField(max_length=80)
    text = serializers.CharField(max_length=500)


class ParticipantInput(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    voice = serializers.CharField(max_length=40, required=False, default="en-us")


class AccountInput(serializers.Serializer):
    provider = serializers.ChoiceField(choices=SimAccount.Provider.choices)
    email = serializers.EmailField()
    password = serializers.CharField(max_length=200)
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    second_step = serializers.BooleanField(
        required=False, default=False, help_text="the account asks for a second sign-in step after its password"
    )
