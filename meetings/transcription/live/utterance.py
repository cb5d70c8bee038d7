"""One utterance of the live pipeline: its audio so far, where a speaker hand-over cuts it, and the
text its partial shows."""

import re
import uuid
from dataclasses import dataclass, field

import numpy as np

from meetings.transcription.base import SAMPLE_RATE
from meetings.transcription.speakers import SLACK_MS, dominant_speaker

# Audio kept before the detected start: the first syllable's onset is quieter than the threshold.
PRE_ROLL_MS = 200
# A pause is a hand-over when the indicators show someone else starting to speak during it or at
# most this long after it (indicators trail the audio), seen within HANDOVER_WAIT_MS more.
HANDOVER_LAG_MS = 700
HANDOVER_WAIT_MS = 400


def new_utterance_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass
class Utterance:
    id: str
    start_ms: int
    chunks: list = field(default_factory=list)
    end_ms: int = 0
    next_partial_ms: int = 0
    last_chunk_ms: int = -1
    pauses: list = field(default_factory=list)  # (start_ms, end_ms) of short silences inside it

    def audio(self) -> np.ndarray:
        return np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=np.float32)

    def handover_pause(self, timeline, now_ms: int) -> tuple[int, int] | None:
        """A recent pause after which the indicators show someone else speaking, if there is one.

        People answer each other with less silence than ends an utterance; cut there, the answer
        does not join the question, and the question's segment does not wait for the answer's end.
        """
        if timeline is None:
            return None
        for pause_start, pause_end in reversed(self.pauses):
            if pause_end < now_ms - HANDOVER_LAG_MS - HANDOVER_WAIT_MS:
                break
            before = dominant_speaker(timeline, self.start_ms, pause_start)[0]
            newcomers = timeline.started_between(pause_start - SLACK_MS, pause_end + HANDOVER_LAG_MS)
            if before is not None and any(participant != before for participant in newcomers):
                return pause_start, pause_end
        return None

    def rest_after(self, pause_end: int, *, first_partial_ms: int) -> "Utterance":
        """The new utterance that starts at the end of a hand-over pause (with its pre-roll)."""
        begin = max(self.start_ms, pause_end - PRE_ROLL_MS)
        tail = self.audio()[(begin - self.start_ms) * SAMPLE_RATE // 1000 :]
        return Utterance(
            new_utterance_id(),
            begin,
            chunks=[tail],
            next_partial_ms=pause_end + first_partial_ms,
            last_chunk_ms=self.last_chunk_ms,
        )


def unrepeated(text: str) -> str:
    """A partial's text without the decoder reading it again: "Content Content Content" -> "Content".

    On half a second of speech the greedy decoder sometimes repeats what it heard to fill the window
    ("The box. The box, the box", "before we move on before we"). When the words are one run said
    over again, at least two more words of it, only the first run is kept. Only partials: a final's
    text comes from a wider beam and the backend's own loop check.
    """
    words = text.split()
    plain = [re.sub(r"[^\w']", "", w.lower()) for w in words]
    # At least two words must follow the first run: "that that" may well have been said.
    for period in range(1, len(plain) - 1):
        if all(plain[i] == plain[i % period] for i in range(len(plain))):
            return " ".join(words[:period]).rstrip(",;:")
    return text
