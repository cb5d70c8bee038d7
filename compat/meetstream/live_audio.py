"""MeetStream's live audio framing for `live_audio_required.websocket_url` (vendor-apis.md, seed 003):
a text frame `{"type": "ready", ...}` first (on every connection), then binary frames
`[0x01][u16le len][speaker_id][u16le len][speaker_name][PCM s16le mono 48 kHz]`.

It is a second output format of Notula's live audio stream (`bots.audio_stream`, `streaming.audio_url`
with `streaming.audio_format: "meetstream"`): the same connection, buffering and reconnection, only the
frames differ. Notula captures the meeting mixed, so each chunk is the mix, attributed to whoever is
speaking then (the first of them when several are; empty id and name when nobody is), and resampled
from 16 kHz to 48 kHz by linear interpolation."""

import json
import struct
import threading

import numpy as np

from bots.audio_stream import AudioStreamer

AUDIO_FRAME = 0x01
SAMPLE_RATE = 48000
UPSAMPLE = SAMPLE_RATE // 16000


def ready_frame(bot_id: str) -> str:
    return json.dumps(
        {"type": "ready", "bot_id": bot_id, "sample_rate": SAMPLE_RATE, "channels": 1, "encoding": "pcm_s16le"}
    )


def audio_frame(speaker_id: str, speaker_name: str, pcm48: bytes) -> bytes:
    sid, name = speaker_id.encode()[:65535], speaker_name.encode()[:65535]
    return struct.pack("<BH", AUDIO_FRAME, len(sid)) + sid + struct.pack("<H", len(name)) + name + pcm48


def parse_audio_frame(frame: bytes) -> tuple[str, str, bytes]:
    """(speaker_id, speaker_name, PCM) of one binary frame; the inverse of `audio_frame`."""
    if not frame or frame[0] != AUDIO_FRAME:
        raise ValueError("not a MeetStream audio frame")
    (id_len,) = struct.unpack_from("<H", frame, 1)
    speaker_id = frame[3 : 3 + id_len].decode()
    (name_len,) = struct.unpack_from("<H", frame, 3 + id_len)
    start = 5 + id_len
    return speaker_id, frame[start : start + name_len].decode(), frame[start + name_len :]


class Upsampler:
    """16 kHz -> 48 kHz s16le, linear between samples, continuous across chunks."""

    def __init__(self) -> None:
        self._last = 0.0

    def __call__(self, pcm16: bytes) -> bytes:
        samples = np.frombuffer(pcm16[: len(pcm16) // 2 * 2], dtype="<i2").astype(np.float64)
        if not samples.size:
            return b""
        before = np.concatenate(([self._last], samples[:-1]))
        step = (samples - before) / UPSAMPLE
        out = np.stack([before + step * k for k in range(1, UPSAMPLE + 1)], axis=1).ravel()
        self._last = float(samples[-1])
        return np.clip(np.rint(out), -32768, 32767).astype("<i2").tobytes()


class MeetStreamAudioStreamer(AudioStreamer):
    def __init__(self, url: str, *, bot_id: str = "", buffer_s: float = 5.0, **options) -> None:
        # Frames are three times the bytes of Notula's 16 kHz ones: the same seconds are kept.
        super().__init__(url, buffer_s=buffer_s * UPSAMPLE, hello=ready_frame(bot_id), **options)
        self._upsample = Upsampler()
        self._speaker_lock = threading.Lock()
        self._speaker = ("", "")

    def send_audio(self, pcm16: bytes) -> None:
        if not pcm16:
            return
        with self._speaker_lock:
            speaker_id, speaker_name = self._speaker
        super().send_audio(audio_frame(speaker_id, speaker_name, self._upsample(pcm16)))

    def send_speakers(self, speakers: list[dict]) -> None:
        """Who is speaking labels the next frames; MeetStream has no frame of its own for it."""
        speaking = [s for s in speakers if s.get("isSpeaking", s.get("is_speaking"))]
        first = speaking[0] if speaking else {}
        with self._speaker_lock:
            self._speaker = (str(first.get("id") or ""), str(first.get("name") or ""))
