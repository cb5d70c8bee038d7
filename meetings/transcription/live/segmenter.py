"""The runner's side of the live pipeline: voice activity cuts the audio into utterances, and says
when an utterance in progress is due for a partial caption. No model runs here: the page loop
calls `write` with each 100 ms chunk, and gets back the work for the ASR threads."""

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from meetings.transcription.base import SAMPLE_RATE
from meetings.transcription.live.utterance import PRE_ROLL_MS, Utterance, new_utterance_id
from meetings.transcription.vad import EnergyVad

# No partial after this much silence: the utterance is probably ending, and its final (which the
# ASR thread takes first) would wait behind a partial nobody needs any more.
PARTIAL_QUIET_MS = 200
RING_MS = 1000


@dataclass(frozen=True)
class Cut:
    """Audio of one utterance to transcribe: a whole one (`final`) or the part spoken so far."""

    utterance_id: str
    start_ms: int
    end_ms: int
    audio: np.ndarray
    final: bool
    track: str = ""  # the track it was heard on; "" for the mixed stream


class Segmenter:
    """Turns a stream of chunks into `Cut`s. `partial_wait(utterance_id)` says how long to wait
    before the next partial of an utterance (the ASR side knows what its calls cost)."""

    def __init__(
        self,
        *,
        timeline,
        partials: bool,
        first_partial_ms: int,
        max_utterance_ms: int,
        vad_silence_ms: int,
        partial_wait: Callable[[str], int],
        track: str = "",
        one_voice: Callable[[], bool] = lambda: False,
    ):
        """`one_voice()`: whether the stream is known to carry one person (a participant's own track),
        whose utterances another's indicator must not cut."""
        self.timeline = timeline
        self.track = track
        self.one_voice = one_voice
        self.partials = partials
        self.first_partial_ms = first_partial_ms
        self.max_utterance_ms = max_utterance_ms
        self.partial_wait = partial_wait
        self.vad = EnergyVad(silence_ms=vad_silence_ms)
        self.now_ms = 0
        self._ring: deque = deque()  # recent (offset_ms, audio) for the pre-roll
        self._utterance: Utterance | None = None

    def write(self, audio: np.ndarray, offset_ms: int) -> list[Cut]:
        """Take one chunk (float32, 16 kHz) that starts `offset_ms` after admission."""
        self.now_ms = offset_ms + len(audio) * 1000 // SAMPLE_RATE
        cuts: list[Cut] = []
        events = self.vad.process(audio, offset_ms)
        self._ring.append((offset_ms, audio))
        while self._ring and self._ring[0][0] < offset_ms - RING_MS:
            self._ring.popleft()
        for event in events:
            if event.kind == "start" and self._utterance is None:
                self._open(event.offset_ms)
            elif event.kind == "end" and self._utterance is not None:
                self._utterance.end_ms = event.offset_ms
                cuts.append(self._finish())
            elif event.kind == "pause" and self._utterance is not None:
                self._utterance.pauses.append((event.offset_ms, event.end_ms))
        utterance = self._utterance
        if utterance is None:
            return cuts
        if offset_ms > utterance.last_chunk_ms:
            utterance.chunks.append(audio)
            utterance.last_chunk_ms = offset_ms
        if utterance.pauses and not self.one_voice():
            handed_over = self._split_at_handover(utterance)
            if handed_over is not None:
                cuts.append(handed_over)
                utterance = self._utterance
                assert utterance is not None
        if self.now_ms - utterance.start_ms >= self.max_utterance_ms:
            utterance.end_ms = self.now_ms
            cuts.append(self._finish())
            if self.vad.in_speech:
                self._open(self.now_ms, pre_roll=False)
        elif (
            self.partials
            and self.now_ms >= utterance.next_partial_ms
            and self.now_ms - self.vad.last_voiced_ms <= PARTIAL_QUIET_MS
        ):
            utterance.next_partial_ms = self.now_ms + self.partial_wait(utterance.id)
            cuts.append(Cut(utterance.id, utterance.start_ms, self.now_ms, utterance.audio(), False, self.track))
        return cuts

    @property
    def open_utterance(self) -> bool:
        return self._utterance is not None

    def skip_to(self, offset_ms: int) -> None:
        """Silence up to `offset_ms` that was not sent (a track's silence); only between utterances."""
        self.vad.skip_to(offset_ms)
        self.now_ms = max(self.now_ms, offset_ms)

    def close(self) -> list[Cut]:
        """The call is over: the utterance still open is final, with all of its speech (the speaker
        may have been cut off mid-word; what was heard is still theirs). The silence after the last
        voiced chunk is left out, as at any utterance's end: Whisper stretches the last word into it."""
        if self._utterance is None:
            return []
        self._utterance.end_ms = max(self.vad.last_voiced_ms, self._utterance.start_ms)
        return [self._finish()]

    def _open(self, start_ms: int, *, pre_roll: bool = True) -> None:
        begin = max(0, start_ms - PRE_ROLL_MS) if pre_roll else start_ms
        utterance = Utterance(new_utterance_id(), begin, next_partial_ms=start_ms + self.first_partial_ms)
        for chunk_offset, chunk in self._ring:
            chunk_end = chunk_offset + len(chunk) * 1000 // SAMPLE_RATE
            if chunk_end <= begin:
                continue
            if not utterance.chunks:
                utterance.start_ms = max(begin, chunk_offset)
            skip = max(0, (begin - chunk_offset) * SAMPLE_RATE // 1000)
            utterance.chunks.append(chunk[skip:])
            utterance.last_chunk_ms = chunk_offset
        self._utterance = utterance

    def _split_at_handover(self, utterance: Utterance) -> Cut | None:
        """End the utterance at a hand-over pause; the rest goes on as a new utterance."""
        pause = utterance.handover_pause(self.timeline, self.now_ms)
        if pause is None:
            return None
        rest = utterance.rest_after(pause[1], first_partial_ms=self.first_partial_ms)
        utterance.end_ms = pause[0]
        cut = self._finish()
        self._utterance = rest
        return cut

    def _finish(self) -> Cut:
        utterance, self._utterance = self._utterance, None
        assert utterance is not None
        # Trailing silence past the detected end is not part of the utterance.
        keep = max(0, (utterance.end_ms - utterance.start_ms + PRE_ROLL_MS) * SAMPLE_RATE // 1000)
        return Cut(utterance.id, utterance.start_ms, utterance.end_ms, utterance.audio()[:keep], True, self.track)
