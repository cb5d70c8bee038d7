"""The one interface every ASR backend implements, and the result it returns.

Audio always travels as 16 kHz mono float32 samples in [-1, 1]; times in results are milliseconds
from the start of the audio that was passed in.
"""

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Word:
    text: str
    start_ms: int
    end_ms: int
    probability: float | None = None

    def as_dict(self, offset_ms: int = 0) -> dict:
        return {
            "word": self.text,
            "start_ms": self.start_ms + offset_ms,
            "end_ms": self.end_ms + offset_ms,
            "probability": None if self.probability is None else round(self.probability, 3),
        }


@dataclass(frozen=True)
class Piece:
    """A stretch of text the backend returned with its own timing (a Whisper segment)."""

    text: str
    start_ms: int
    end_ms: int
    words: tuple[Word, ...] = ()
    confidence: float | None = None


@dataclass
class Transcription:
    text: str
    language: str = ""
    language_probability: float | None = None
    pieces: list[Piece] = field(default_factory=list)
    confidence: float | None = None

    @property
    def words(self) -> list[Word]:
        return [w for p in self.pieces for w in p.words]


@dataclass(frozen=True)
class BackendOptions:
    """What selects and configures a backend; also the cache key of a loaded model."""

    backend: str
    model: str
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 0
    # A cloud provider's key (a bot's own, decrypted); never logged.
    api_key: str = field(default="", repr=False)


class Backend(Protocol):
    name: str
    # False for backends that take their text from elsewhere (the platform's captions).
    transcribes_audio: bool
    # True when two threads may transcribe on one loaded backend at once, each at full speed: a live
    # transcriber then decodes partials beside finals instead of queueing them behind.
    parallel_calls: bool

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None,
        beam_size: int = 1,
        word_timestamps: bool = True,
        prompt: str | None = None,
        utterance: bool = False,
    ) -> Transcription:
        """Transcribe 16 kHz mono float32 audio. `language` None means detect it.

        `utterance`: the audio is one live utterance cut by the voice-activity detector; a backend
        may decode it over its own length (cheaper) rather than as a long recording.
        """


def pcm16_to_float(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0


def float_to_pcm16(audio: np.ndarray) -> bytes:
    return (np.clip(audio, -1.0, 1.0) * 32767.0).astype(np.int16).tobytes()


def mean_confidence(values: list[float]) -> float | None:
    return round(float(np.mean(values)), 3) if values else None


def transcription_to_dict(result: Transcription) -> dict:
    return {
        "text": result.text,
        "language": result.language,
        "language_probability": result.language_probability,
        "confidence": result.confidence,
        "pieces": [
            {
                "text": p.text,
                "start_ms": p.start_ms,
                "end_ms": p.end_ms,
                "confidence": p.confidence,
                "words": [[w.text, w.start_ms, w.end_ms, w.probability] for w in p.words],
            }
            for p in result.pieces
        ],
    }


def transcription_from_dict(data: dict) -> Transcription:
    return Transcription(
        text=data["text"],
        language=data.get("language") or "",
        language_probability=data.get("language_probability"),
        confidence=data.get("confidence"),
        pieces=[
            Piece(p["text"], p["start_ms"], p["end_ms"], tuple(Word(*w) for w in p["words"]), p.get("confidence"))
            for p in data.get("pieces", [])
        ],
    )
