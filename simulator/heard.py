"""What the meeting's participants heard from the bot: its microphone, as the simulated client sent it.

The page (static/simulator/hearing.js) takes the bot's microphone track as a real client would and
posts it here as 16 kHz mono PCM while the microphone is unmuted; it is kept per meeting, so that
tests and integrators can check what the bot said (`GET /simulator/api/meetings/{id}/heard`, a WAV).
"""

import base64
import binascii
import io
import wave
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from common.errors import ValidationError
from simulator.api.views import SimulatorView
from simulator.models import SimMeeting
from simulator.pages import PageEndpoint

RATE = 16000
MAX_CHUNK_BYTES = RATE * 2 * 5  # five seconds a post, at most


def heard_path(meeting: SimMeeting) -> Path:
    return Path(settings.MEDIA_ROOT) / "simulator" / "heard" / f"{meeting.id}.pcm"


def heard_pcm(meeting: SimMeeting) -> bytes:
    path = heard_path(meeting)
    return path.read_bytes() if path.exists() else b""


def heard_wav(meeting: SimMeeting) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(heard_pcm(meeting))
    return out.getvalue()


def sim_bot_heard(*, meeting: SimMeeting, pcm: bytes) -> None:
    """Keep a chunk of the bot's microphone, in the order the page sent them."""
    path = heard_path(meeting)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as out:
        out.write(pcm[: len(pcm) - len(pcm) % 2])


class HeardInput(serializers.Serializer):
    pcm = serializers.CharField(max_length=MAX_CHUNK_BYTES * 2)


class PageHeardView(PageEndpoint):
    def post(self, request, platform, code):
        data = HeardInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            pcm = base64.b64decode(data.validated_data["pcm"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError("pcm is not base64.", fields={"pcm": ["not base64"]}) from exc
        sim_bot_heard(meeting=self.meeting(platform, code), pcm=pcm)
        return Response({"ok": True})


class MeetingHeardView(SimulatorView):
    @extend_schema(
        operation_id="simulator_meetings_heard",
        responses={(200, "audio/wav"): OpenApiResponse(description="16 kHz mono WAV")},
        description="What the participants heard from the bot's microphone while it was unmuted (a WAV; "
        "empty when the bot has said nothing).",
    )
    def get(self, request, meeting_id):
        response = HttpResponse(heard_wav(self.get_meeting(meeting_id)), content_type="audio/wav")
        response["Content-Disposition"] = f'inline; filename="{meeting_id}-heard.wav"'
        return response
