"""What the local provider servers share: the packaged Whisper model that hears the audio they are
sent (so the words that come back are the words said), an utterance detector for the streaming
endpoints, and the faults a test asks for (`POST /_faults`, a test hook no provider has)."""

import io
import threading
import time
import wave
from dataclasses import dataclass, field

import numpy as np

SAMPLE_RATE = 16000
FRAME = 320  # 20 ms


class Model:
    """tiny.en through Notula's faster-whisper backend, loaded once per server process; one decode at
    a time. Streaming results decode the utterance's own length, as a streaming service would."""

    def __init__(self):
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()
        from meetings.transcription.backends.faster_whisper import FasterWhisperBackend
        from meetings.transcription.base import BackendOptions

        self.backend = FasterWhisperBackend(BackendOptions("faster-whisper", "tiny.en", cpu_threads=2))
        self.lock = threading.Lock()

    def words(self, audio: np.ndarray, *, timed: bool = True, live: bool = False) -> tuple[list[dict], str]:
        """[{word, start, end, probability}] in seconds, and the text. `timed` False (interim results):
        no word alignment, which is most of a short decode's cost; the times are spread evenly."""
        if len(audio) < SAMPLE_RATE // 10:
            return [], ""
        with self.lock:
            result = self.backend.transcribe(audio, language="en", beam_size=1, word_timestamps=timed, utterance=live)
        text = result.text.strip()
        if not timed:
            spoken = text.split()
            step = len(audio) / SAMPLE_RATE / max(1, len(spoken))
            return [
                {"word": w, "start": round(i * step, 3), "end": round((i + 1) * step, 3), "probability": 0.5}
                for i, w in enumerate(spoken)
            ], text
        words = [
            {"word": w.text, "start": w.start_ms / 1000, "end": w.end_ms / 1000, "probability": w.probability or 0.5}
            for w in result.words
        ]
        return words, text


def pcm16(data: bytes) -> np.ndarray:
    return np.frombuffer(data[: len(data) // 2 * 2], dtype=np.int16).astype(np.float32) / 32768.0


def decode_upload(data: bytes) -> np.ndarray:
    """A WAV file (what Notula sends) as 16 kHz mono floats."""
    with wave.open(io.BytesIO(data)) as source:
        if source.getframerate() != SAMPLE_RATE or source.getnchannels() != 1 or source.getsampwidth() != 2:
            raise ValueError("16 kHz mono 16-bit WAV expected")
        return pcm16(source.readframes(source.getnframes()))


@dataclass
class Faults:
    """The next `count` requests (or sockets) fail: with `status`, or the socket drops after
    `drop_after` audio messages, or the answer waits `hang_s` seconds (a provider that stalls)."""

    status: int = 0
    count: int = 0
    drop_after: int = 0
    hang_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, options: dict) -> None:
        with self.lock:
            self.status = int(options.get("status", 0))
            self.drop_after = int(options.get("drop_after", 0))
            self.hang_s = float(options.get("hang_s", 0))
            self.count = int(options.get("count", 1))

    def take(self) -> tuple[int, int]:
        """(status, drop_after) for this request: (0, 0) when it goes through."""
        with self.lock:
            if self.count <= 0:
                return 0, 0
            self.count -= 1
            status, drop_after, hang_s = self.status, self.drop_after, self.hang_s
        time.sleep(hang_s)  # the request thread stalls; the server answers the others meanwhile
        return status, drop_after


class Utterances:
    """Cuts streamed audio into utterances by energy: one ends after `silence_ms` without voice.

    `push` returns what to do now: ("interim", audio) about once a second while someone speaks,
    ("final", audio) when an utterance ends; times are the utterance's first sample's offset."""

    def __init__(self, *, silence_ms: int, interim_ms: int = 1000, threshold: float = 0.01):
        self.silence_frames = max(1, silence_ms // 20)
        self.interim_frames = interim_ms // 20
        self.threshold = threshold
        self.pending = np.zeros(0, dtype=np.float32)
        self.frames_seen = 0
        self.start_frame: int | None = None
        self.voice: list[np.ndarray] = []
        self.quiet = 0
        self.since_interim = 0

    def push(self, audio: np.ndarray) -> list[tuple[str, int, np.ndarray]]:
        self.pending = np.concatenate([self.pending, audio])
        actions = []
        while len(self.pending) >= FRAME:
            frame, self.pending = self.pending[:FRAME], self.pending[FRAME:]
            voiced = float(np.sqrt(np.mean(frame**2))) > self.threshold
            if self.start_frame is None:
                if voiced:
                    self.start_frame, self.voice, self.quiet, self.since_interim = self.frames_seen, [frame], 0, 0
            else:
                self.voice.append(frame)
                self.quiet = 0 if voiced else self.quiet + 1
                self.since_interim += 1
                if self.quiet >= self.silence_frames:
                    actions.append(self._take("final"))
                elif self.since_interim >= self.interim_frames:
                    self.since_interim = 0
                    actions.append(("interim", self.start_frame * 20, np.concatenate(self.voice)))
            self.frames_seen += 1
        return actions

    def _take(self, kind: str) -> tuple[str, int, np.ndarray]:
        start = self.start_frame or 0
        audio = np.concatenate(self.voice)
        self.start_frame, self.voice = None, []
        return kind, start * 20, audio

    def flush(self) -> list[tuple[str, int, np.ndarray]]:
        return [self._take("final")] if self.start_frame is not None else []
