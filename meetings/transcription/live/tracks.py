"""Every voice on its own track: where the platform sends one audio track per participant, each track
is cut into utterances on its own, so two people speaking at once are both transcribed, each alone.

`TrackStreams` runs one segmenter per track. A track sends only its chunks with sound (the page drops
silence); the silence between them is fed back here while an utterance is open, so it ends as on the
mixed stream, and an idle track costs nothing. All tracks share the transcriber's ASR lanes.

`TrackOwners` says whose voice a track carries, from the speaking indicators over its utterances:
a track is a participant's when that participant's indicator was on through enough of its speech
and no utterance on it was someone else's alone. A track that carries several people (a platform's
pool of receivers, a single mixed track) has no owner: its utterances are attributed by the
indicators, word by word, as the mixed stream's are.
"""

import threading
from collections.abc import Callable

import numpy as np

from meetings.transcription.base import SAMPLE_RATE
from meetings.transcription.live.segmenter import Cut, Segmenter

# A track's chunks may come up to a tick behind the mixed stream's: silence is fed only up to here.
TRACK_SLACK_MS = 100
SILENCE_PIECE_MS = 100
# Utterances shorter than this say nothing about who is on the track (a cough, an echo).
MIN_EVIDENCE_UTTERANCE_MS = 500
# Speech on the track under the participant's indicator before the track is theirs.
MIN_OWNER_MS = 1500
# An utterance "is" a participant's when their indicator covers this share of it ...
SUPPORT_SHARE = 0.4
# ... and contradicts a participant when theirs covers less than this while someone else's is on.
CONTRA_SHARE = 0.15
# Contradicting speech a track's owner may have (indicators miss): this share of the support, at most
# CONTRA_MAX_MS. Another person's utterance alone on a track means it is no one's own.
CONTRA_RATIO = 0.1
CONTRA_MAX_MS = 1000
MAX_RECORDS = 200


class TrackOwners:
    """Thread-safe: the finals lane records what it decodes, the partials lane asks."""

    def __init__(self, timeline) -> None:
        self.timeline = timeline
        self._records: dict[str, list[tuple[int, dict[str, float]]]] = {}
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()

    def observe(self, track: str, start_ms: int, end_ms: int) -> None:
        """An utterance of `track` from start_ms to end_ms: whose indicators were on through it."""
        duration = end_ms - start_ms
        if self.timeline is None or duration < MIN_EVIDENCE_UTTERANCE_MS:
            return
        found = self.timeline.speakers_between(start_ms, end_ms)
        with self._lock:
            for participant_id, name, _ms in found:
                self._names[participant_id] = name
            records = self._records.setdefault(track, [])
            records.append((duration, {pid: ms / duration for pid, _name, ms in found}))
            del records[:-MAX_RECORDS]

    def owner(self, track: str) -> tuple[str, str] | None:
        """(participant_id, name) of the one participant whose track this is, or None."""
        with self._lock:
            records = list(self._records.get(track, ()))
            names = dict(self._names)
        candidates = {pid for _duration, shares in records for pid in shares}
        support = dict.fromkeys(candidates, 0)
        contra = dict.fromkeys(candidates, 0)
        for duration, shares in records:
            leading = {pid for pid, share in shares.items() if share >= SUPPORT_SHARE}
            for pid in candidates:
                if pid in leading:
                    support[pid] += duration
                elif shares.get(pid, 0.0) < CONTRA_SHARE and leading:
                    contra[pid] += duration
        owners = [
            pid
            for pid in candidates
            if support[pid] >= MIN_OWNER_MS and contra[pid] <= min(CONTRA_RATIO * support[pid], CONTRA_MAX_MS)
        ]
        return (owners[0], names[owners[0]]) if len(owners) == 1 else None


class TrackStreams:
    """One segmenter per track; `make_segmenter(track)` builds one as the mixed stream's is built."""

    def __init__(self, make_segmenter: Callable[[str], Segmenter]) -> None:
        self.make_segmenter = make_segmenter
        self._segmenters: dict[str, Segmenter] = {}
        self._fed_ms: dict[str, int] = {}  # one past the last ms fed to each track

    def write(self, track: str, audio: np.ndarray, offset_ms: int) -> list[Cut]:
        segmenter = self._segmenters.get(track)
        if segmenter is None:
            segmenter = self._segmenters[track] = self.make_segmenter(track)
        cuts = []
        fed = self._fed_ms.get(track)
        if fed is not None and offset_ms > fed:
            if self._active(segmenter):
                cuts += self._silence(track, segmenter, fed, offset_ms)
            else:
                segmenter.skip_to(offset_ms)
        cuts += segmenter.write(audio, offset_ms)
        self._fed_ms[track] = offset_ms + len(audio) * 1000 // SAMPLE_RATE
        return cuts

    def advance(self, now_ms: int) -> list[Cut]:
        """The mixed stream has reached `now_ms`: tracks that sent nothing since were silent."""
        cuts = []
        for track, segmenter in self._segmenters.items():
            if self._active(segmenter):
                cuts += self._silence(track, segmenter, self._fed_ms[track], now_ms - TRACK_SLACK_MS)
        return cuts

    def close(self) -> list[Cut]:
        return [cut for segmenter in self._segmenters.values() for cut in segmenter.close()]

    @staticmethod
    def _active(segmenter: Segmenter) -> bool:
        return segmenter.open_utterance or segmenter.vad.in_speech

    def _silence(self, track: str, segmenter: Segmenter, start_ms: int, end_ms: int) -> list[Cut]:
        cuts = []
        at = start_ms
        while at < end_ms and self._active(segmenter):
            piece = min(SILENCE_PIECE_MS, end_ms - at)
            cuts += segmenter.write(np.zeros(piece * SAMPLE_RATE // 1000, dtype=np.float32), at)
            at += piece
        self._fed_ms[track] = max(self._fed_ms[track], at)
        return cuts
