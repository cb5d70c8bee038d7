"""Voice activity on the live stream: splits continuous audio into utterances.

An energy detector with an adaptive noise floor, on 20 ms frames: it costs nothing next to the
ASR, starts an utterance within a few frames and ends it after a configurable stretch of silence.
(Whisper's own Silero VAD works on whole files, not on a stream fed 100 ms at a time.)
"""

from dataclasses import dataclass

import numpy as np

FRAME_MS = 20
FRAME = 16000 * FRAME_MS // 1000


@dataclass
class VadEvent:
    kind: str  # "start" | "end" | "pause" (silence inside speech, from offset_ms to end_ms)
    offset_ms: int
    end_ms: int = 0


class EnergyVad:
    def __init__(
        self,
        *,
        silence_ms: int = 500,
        pause_ms: int = 200,
        min_speech_ms: int = 60,
        floor_db: float = -55.0,
        margin_db: float = 12.0,
    ):
        self.silence_ms = silence_ms
        self.pause_ms = pause_ms
        self.min_speech_ms = min_speech_ms
        self.floor_db = floor_db
        self.margin_db = margin_db
        self.noise_db = floor_db
        self.in_speech = False
        self._voiced_run = 0
        self._silent_run = 0
        self._pending = np.zeros(0, dtype=np.float32)
        self._pending_offset = 0
        self.last_voiced_ms = -1

    def threshold_db(self) -> float:
        return max(self.floor_db, self.noise_db + self.margin_db)

    def skip_to(self, offset_ms: int) -> None:
        """Silence up to `offset_ms` that was never sent: the next audio starts there. Out of speech only."""
        self._silent_run += max(0, offset_ms - self._pending_offset - len(self._pending) * 1000 // 16000)
        self._voiced_run = 0
        self._pending = np.zeros(0, dtype=np.float32)
        self._pending_offset = offset_ms

    def process(self, audio: np.ndarray, offset_ms: int) -> list[VadEvent]:
        """Feed audio that starts at offset_ms; returns speech starts/ends (with their true times)."""
        if not len(self._pending):
            self._pending_offset = offset_ms
        self._pending = np.concatenate([self._pending, audio])
        events = []
        usable = len(self._pending) // FRAME * FRAME
        frames = self._pending[:usable].reshape(-1, FRAME)
        base = self._pending_offset
        for index, frame in enumerate(frames):
            at = base + index * FRAME_MS
            level = 10 * np.log10(float(np.mean(frame * frame)) + 1e-12)
            voiced = level > self.threshold_db()
            if not voiced:
                # Follows the noise floor down quickly and up slowly, so speech never becomes "noise".
                rate = 0.3 if level < self.noise_db else 0.01
                self.noise_db += rate * (level - self.noise_db)
            if voiced:
                if self.in_speech and self._silent_run >= self.pause_ms:
                    # Too short to end the utterance, long enough to be a hand-over between speakers.
                    events.append(VadEvent("pause", at - self._silent_run, end_ms=at))
                self.last_voiced_ms = at + FRAME_MS
                self._voiced_run += FRAME_MS
                self._silent_run = 0
                if not self.in_speech and self._voiced_run >= self.min_speech_ms:
                    self.in_speech = True
                    events.append(VadEvent("start", at + FRAME_MS - self._voiced_run))
            else:
                self._voiced_run = 0
                self._silent_run += FRAME_MS
                if self.in_speech and self._silent_run >= self.silence_ms:
                    self.in_speech = False
                    events.append(VadEvent("end", at + FRAME_MS - self._silent_run))
        self._pending = self._pending[usable:]
        self._pending_offset = base + len(frames) * FRAME_MS
        return events
