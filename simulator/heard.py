"""What the meeting's participants heard from the bot: its microphone, as the simulated client sent it.

The page (static/simulator/hearing.js) takes the bot's microphone track as a real client would and
posts it here as 16 kHz mono PCM while the microphone is unmuted; it is kept per meeting, so that
tests and integrators can check what the bot said (`GET /simulator/api/meetings/{id}/heard`, a WAV).
"""

import base64
import binascii
import fcntl
import io
import json
import sys
import time
import wave
from array import array
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
# Onsets: a 10 ms block peaking above this (about -30 dBFS) after at least QUIET_MS without one.
ONSET_PEAK = 1000
QUIET_MS = 500
BLOCK = RATE // 100


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


def heard_onsets(meeting: SimMeeting) -> list[float]:
    """When (epoch ms, the page's clock) each burst of the bot's sound began to be heard."""
    path = heard_path(meeting).with_suffix(".json")
    return json.loads(path.read_text())["onsets"] if path.exists() else []


def heard_speaking(meeting: SimMeeting, *, within_ms: float = 1500) -> bool:
    """Whether the participants heard the bot a moment ago (the host's view shows it speaking)."""
    path = heard_path(meeting).with_suffix(".json")
    if not path.exists():
        return False
    last = json.loads(path.read_text()).get("last_loud_ms")
    return last is not None and time.time() * 1000 - last < within_ms


def sim_bot_heard(*, meeting: SimMeeting, pcm: bytes, at_ms: float | None = None) -> None:
    """Keep a chunk of the bot's microphone, in the order the page sent them; `at_ms`: when its last
    sample was heard (epoch ms), to date the onsets of what the bot sent (for latency measurements)."""
    path = heard_path(meeting)
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = pcm[: len(pcm) - len(pcm) % 2]
    with path.open("ab") as out:
        # The page's posts may overlap: one at a time, so the audio and its onsets stay in order.
        fcntl.flock(out, fcntl.LOCK_EX)
        out.write(pcm)
        if at_ms is not None:
            _note_onsets(path.with_suffix(".json"), pcm, at_ms)


def _note_onsets(path: Path, pcm: bytes, at_ms: float) -> None:
    state = json.loads(path.read_text()) if path.exists() else {"onsets": [], "last_loud_ms": None}
    samples = array("h")
    samples.frombytes(pcm)
    if sys.byteorder != "little":
        samples.byteswap()
    start_ms = at_ms - len(samples) * 1000 / RATE
    for index in range(0, len(samples), BLOCK):
        block = samples[index : index + BLOCK]
        if max(max(block), -min(block)) < ONSET_PEAK:
            continue
        when = start_ms + index * 1000 / RATE
        last = state["last_loud_ms"]
        if last is None or when - last > QUIET_MS:
            state["onsets"].append(round(when, 1))
        state["last_loud_ms"] = when
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(state))
    scratch.replace(path)  # whole or not at all, for a reader at the same moment


class HeardInput(serializers.Serializer):
    pcm = serializers.CharField(max_length=MAX_CHUNK_BYTES * 2)
    at = serializers.FloatField(required=False, min_value=0)


class PageHeardView(PageEndpoint):
    def post(self, request, platform, code):
        data = HeardInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            pcm = base64.b64decode(data.validated_data["pcm"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError("pcm is not base64.", fields={"pcm": ["not base64"]}) from exc
        at_ms = data.validated_data.get("at")
        sim_bot_heard(meeting=self.meeting(platform, code), pcm=pcm, at_ms=at_ms)
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
