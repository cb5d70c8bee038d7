from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.inputs import StrictFieldsMixin
from meetings.models import Platform
from simulator.models import SimAccount
from simulator.scenario import (
    ACCESS,
    MAX_LINES,
    MAX_NAME,
    MAX_PARTICIPANTS,
    MAX_TEXT,
    MAX_TIME_S,
    MAX_URL,
    NAME_RE,
    PAGE_CHANGES,
    POLICIES,
)

SECONDS = {"type": "number", "minimum": 0, "maximum": MAX_TIME_S}
NAME = {"type": "string", "minLength": 1, "maxLength": MAX_NAME, "pattern": NAME_RE.pattern}
VOICE = {"type": "string", "description": "an espeak-ng voice: en-us, en-gb, en-us+f3, ..."}
# The shape simulator.scenario checks; what it cannot say (a line's speaker is one of the participants,
# names are unique, a participant leaves after joining) is in its description and in the 400s.
SCENARIO_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "description": "See docs/simulator.md. A line's speaker must be one of the participants; names are unique.",
    "properties": {
        "title": {"type": "string", "maxLength": 200},
        "access": {"type": "string", "enum": list(ACCESS)},
        "lobby": {
            "type": "object",
            "nullable": True,
            "additionalProperties": False,
            "properties": {"policy": {"type": "string", "enum": list(POLICIES)}, "after_s": SECONDS},
        },
        "captions": {"type": "boolean"},
        "participants": {
            "type": "array",
            "maxItems": MAX_PARTICIPANTS,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": NAME,
                    "voice": VOICE,
                    "joins_at_s": SECONDS,
                    "leaves_at_s": {**SECONDS, "nullable": True, "description": "after joins_at_s"},
                    "is_host": {"type": "boolean"},
                },
            },
        },
        "script": {
            "type": "array",
            "maxItems": MAX_LINES,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["at_s", "speaker"],
                "description": "A spoken line (text, said by the speaker's voice) or a recorded one (a wav, mp3 "
                "or flac clip: audio_url, or audio naming a multipart file part); a clip's text is optional.",
                "properties": {
                    "at_s": SECONDS,
                    "speaker": {"type": "string", "description": "the name of one of the participants"},
                    "text": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
                    "audio_url": {
                        "type": "string",
                        "format": "uri",
                        "maxLength": MAX_URL,
                        "description": "a clip fetched when the scenario is submitted",
                    },
                    "audio": {"type": "string", "description": "the name of a file part of a multipart request"},
                },
            },
        },
        "ends_at_s": {**SECONDS, "minimum": 0.1, "nullable": True},
        "page_changes": {
            "type": "array",
            "items": {"type": "string", "enum": list(PAGE_CHANGES)},
            "description": "a redesigned pre-join screen, to test how a bot copes",
        },
    },
}


@extend_schema_field(SCENARIO_SCHEMA)
class ScenarioField(serializers.DictField):
    pass


class MeetingCreateInput(StrictFieldsMixin, serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    scenario = ScenarioField(required=False, default=dict, help_text="See docs/simulator.md")


class MeetingUploadInput(StrictFieldsMixin, serializers.Serializer):
    """A meeting whose script plays uploaded clips: every other part is a file a line names in `audio`."""

    platform = serializers.ChoiceField(choices=Platform.choices)
    scenario = serializers.JSONField(binary=True, help_text="The scenario as JSON text (see docs/simulator.md)")

    def validate_scenario(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("must be a JSON object")
        return value


class SayInput(StrictFieldsMixin, serializers.Serializer):
    participant = serializers.CharField(max_length=MAX_NAME)
    text = serializers.CharField(max_length=MAX_TEXT)


class ChatInput(SayInput):
    to = serializers.CharField(
        max_length=MAX_NAME,
        required=False,
        allow_null=True,
        default=None,
        help_text="A private message to this participant (a name, or the bot's name); Zoom and Webex only",
    )


@extend_schema_field(VOICE)
class VoiceField(serializers.CharField):
    pass


class ParticipantInput(StrictFieldsMixin, serializers.Serializer):
    name = serializers.RegexField(NAME_RE, max_length=MAX_NAME)
    voice = VoiceField(max_length=40, required=False, default="en-us")


class AccountInput(StrictFieldsMixin, serializers.Serializer):
    provider = serializers.ChoiceField(choices=SimAccount.Provider.choices)
    email = serializers.EmailField()
    password = serializers.CharField(max_length=200)
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    second_step = serializers.BooleanField(
        required=False, default=False, help_text="the account asks for a second sign-in step after its password"
    )
