"""GET/PUT /api/v1/transcription_default: the organization's default speech-to-text backend."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts.api.base import ApiView
from accounts.transcription_default import transcription_default_get, transcription_default_set
from bots.api.serializers import BOT_ASR_BACKEND_CHOICES
from common.api import StrictFieldsMixin
from meetings.asr_choices import LANGUAGE_CHOICES


class TranscriptionDefaultInput(StrictFieldsMixin, serializers.Serializer):
    backend = serializers.ChoiceField(
        choices=BOT_ASR_BACKEND_CHOICES,
        allow_null=True,
        help_text="any backend a bot may use, or null for the server's NOTULA_ASR_BACKEND; deepgram and "
        "assemblyai need a stored key (POST /api/v1/transcription_keys) or the server's own",
    )
    model = serializers.CharField(
        max_length=300, required=False, allow_null=True, help_text="as a bot's transcription.model (null: its default)"
    )
    language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        allow_null=True,
        help_text="as a bot's transcription.language (null: its default)",
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["backend"] is None:
            for name in ("model", "language"):
                if attrs.get(name) is not None:
                    raise serializers.ValidationError({name: ["only with a backend"]})
        return attrs


class TranscriptionDefaultOut(serializers.Serializer):
    backend = serializers.CharField(allow_null=True)
    model = serializers.CharField(allow_null=True)
    language = serializers.CharField(allow_null=True)


class TranscriptionDefaultView(ApiView):
    @extend_schema(
        operation_id="transcription_default_retrieve",
        responses=TranscriptionDefaultOut,
        description="The organization's default backend (null: the server's NOTULA_ASR_BACKEND), with its "
        "model and language. A bot, import or re-transcription that names no backend gets it when created.",
    )
    def get(self, request):
        return Response(transcription_default_get(organization=request.user.organization))

    @extend_schema(
        operation_id="transcription_default_update",
        request=TranscriptionDefaultInput,
        responses=TranscriptionDefaultOut,
        description='Set the default: `{"backend": "deepgram", "model": "nova-3", "language": "de"}`; '
        '`{"backend": null}` goes back to the server\'s. Bots created earlier keep their backend.',
    )
    def put(self, request):
        data = TranscriptionDefaultInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(transcription_default_set(organization=request.user.organization, **data.validated_data))
