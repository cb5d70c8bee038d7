"""What transcription hands back. The transcription package decodes and returns these and writes
nothing; a `ResultSink` (the meetings services' writer, `meetings.transcripts.writer`) stores and
publishes them. Times are milliseconds from the start of the audio (the bot's admission)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from meetings.transcription.base import Word


@dataclass(frozen=True)
class Caption:
    """The growing text of the utterance being spoken (a partial); superseded by its Segment."""

    utterance_id: str
    speaker: str
    participant_id: str | None
    text: str
    start_ms: int
    end_ms: int
    language: str


@dataclass(frozen=True)
class Segment:
    """A finished stretch of one speaker's speech, as it goes into the transcript."""

    utterance_id: str
    speaker: str
    participant_id: str | None
    text: str
    start_ms: int
    end_ms: int
    started_at: datetime | None
    language: str
    confidence: float | None
    words: tuple[Word, ...]
    backend: str
    model: str


@dataclass
class Recognition:
    """A whole recording transcribed at once: its segments in order and the language heard."""

    language: str
    segments: list[Segment]


class ResultSink(Protocol):
    """Where a live transcriber's results go, called from its ASR threads, in the order produced."""

    def caption(self, caption: Caption) -> None:
        """A partial caption of an utterance that has no segment yet."""

    def segment(self, segment: Segment) -> str | None:
        """A finished segment; returns the participant it was filed under (None when nobody matched)."""

    def insight(self, insight: dict) -> None:
        """A coaching remark (`category`, `message`, ...)."""

    def language(self, language: str) -> None:
        """The language the model heard (each time it differs from the last one reported)."""
