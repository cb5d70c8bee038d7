"""A bot in a call acts on request, on what is heard and recorded: it speaks (`/speak`) and pauses or
resumes its recording. Chat, camera and screenshots: bots/api/in_call.py."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiRequest, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.api import ApiView
from bots import selectors
from bots.pause import bot_pause_recording, bot_resume_recording
from bots.speech import TEXT_MAX, bot_speak, bot_stop_speaking
from common.api import StrictFieldsMixin
from common.errors import PayloadTooLarge
from common.schema import error_response

ONE_OF = "exactly one of text, audio_url, audio_base64 (JSON) or audio (multipart)"


class SpeakInput(StrictFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX, required=False, help_text="said with text-to-speech; " + ONE_OF)
    voice = serializers.CharField(
        max_length=60, required=False, help_text="an espeak-ng voice for `text` (default en-us; `en-us+f3`, `de`, ...)"
    )
    audio_url = serializers.URLField(max_length=2000, required=False, help_text="http(s) URL of an mp3, wav, ogg...")
    audio_base64 = serializers.CharField(required=False, help_text="an audio file (mp3, wav, ogg...), base64")


class SpeakUploadInput(SpeakInput):
    audio = serializers.FileField(required=False, help_text="an uploaded audio file (mp3, wav, ogg...)")

    def validate_audio(self, upload):
        if upload.size > settings.BOT_SPEECH_MAX_BYTES:
            message = f"The file is {upload.size} bytes; at most {settings.BOT_SPEECH_MAX_BYTES}."
            raise PayloadTooLarge(message, code="upload_too_large", fields={"audio": [message]})
        return upload


class SpeakOut(serializers.Serializer):
    speech_id = serializers.CharField()
    command_id = serializers.CharField()
    duration_ms = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["queued"])


class CommandOut(serializers.Serializer):
    command_id = serializers.CharField()
    status = serializers.CharField(required=False)
    recording_state = serializers.CharField(required=False, help_text="the state before the command acts")


class BotSpeakView(ApiView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="bots_speak",
        request={
            "application/json": SpeakInput,
            "multipart/form-data": OpenApiRequest(SpeakUploadInput, encoding={"audio": {"contentType": "audio/*"}}),
        },
        responses={202: SpeakOut, 409: error_response(409), 413: error_response(413)},
        examples=[
            OpenApiExample("Text", value={"text": "Hello from Notula", "voice": "en-us"}, request_only=True),
        ],
        description="The bot says a text (offline text-to-speech) or plays an audio file into the meeting through "
        "its microphone. Requests queue in order; `bot.speech_started` and `bot.speech_finished` follow. "
        "409 `bot_not_in_call` unless the bot is in the call.",
    )
    def post(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        multipart = request.content_type.startswith("multipart/")
        data = (SpeakUploadInput if multipart else SpeakInput)(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "audio" in fields:
            fields["audio"] = fields["audio"].read()
        answer = bot_speak(bot=bot, **fields)
        return Response(SpeakOut(answer).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        operation_id="bots_speak_stop",
        request=None,
        responses={202: CommandOut, 409: error_response(409)},
        description="Stop speaking now and drop what was queued (`bot.speech_finished` with `stopped: true`).",
    )
    def delete(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        return Response(CommandOut(bot_stop_speaking(bot=bot)).data, status=status.HTTP_202_ACCEPTED)


class BotPauseRecordingView(ApiView):
    @extend_schema(
        operation_id="bots_pause_recording",
        request=None,
        responses={202: CommandOut, 409: error_response(409)},
        description="Pause the recording: until resumed, nothing is recorded or transcribed. `bot.status_changed` "
        "with `recording_state: paused` follows; 409 `recording_state_conflict` when it is not recording.",
    )
    def post(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        return Response(CommandOut(bot_pause_recording(bot=bot)).data, status=status.HTTP_202_ACCEPTED)


class BotResumeRecordingView(ApiView):
    @extend_schema(
        operation_id="bots_resume_recording",
        request=None,
        responses={202: CommandOut, 409: error_response(409)},
        description="Resume a paused recording (`recording_state: recording`); the paused stretch is a gap in "
        "the recordings (their `gaps`).",
    )
    def post(self, request, bot_id: str):
        bot = selectors.bot_get(organization=request.user.organization, bot_id=bot_id)
        return Response(CommandOut(bot_resume_recording(bot=bot)).data, status=status.HTTP_202_ACCEPTED)
