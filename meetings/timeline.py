"""The speaker timeline of one meeting, in memory: who spoke when, in ms since the bot was admitted.

The runner feeds it from the platform's speaking indicators; the transcription pipeline asks it who
was speaking during a stretch of audio. Intervals still open (a speaker who has not stopped yet)
count up to the end of the asked range.
"""

import threading
from dataclasses import dataclass


@dataclass
class _Interval:
    participant_id: str
    name: str
    start_ms: int
    end_ms: int | None = None


class SpeakerTimeline:
    """Thread-safe: the runner writes while the transcriber (possibly another thread) reads."""

    def __init__(self) -> None:
        self._intervals: list[_Interval] = []
        self._open: dict[str, _Interval] = {}
        self._lock = threading.Lock()

    def start(self, participant_id: str, name: str, offset_ms: int) -> None:
        """`participant_id` started speaking at `offset_ms`; a second start while open is ignored."""
        with self._lock:
            if participant_id in self._open:
                return
            interval = _Interval(participant_id, name, int(offset_ms))
            self._open[participant_id] = interval
            self._intervals.append(interval)

    def stop(self, participant_id: str, offset_ms: int) -> None:
        """`participant_id` stopped speaking at `offset_ms`; a stop without a start is ignored."""
        with self._lock:
            interval = self._open.pop(participant_id, None)
            if interval is not None:
                interval.end_ms = max(interval.start_ms, int(offset_ms))

    def stop_all(self, offset_ms: int) -> None:
        """Close every open interval (the bot left, or the participant's row went away)."""
        with self._lock:
            for interval in self._open.values():
                interval.end_ms = max(interval.start_ms, int(offset_ms))
            self._open.clear()

    def speaking_now(self) -> list[str]:
        with self._lock:
            return list(self._open)

    def intervals(self) -> list[tuple[str, int, int | None]]:
        """[(name, start_ms, end_ms or None while still speaking)], in the order they started."""
        with self._lock:
            return [(i.name, i.start_ms, i.end_ms) for i in self._intervals]

    def started_between(self, start_ms: int, end_ms: int) -> list[str]:
        """Participants who started speaking in [start_ms, end_ms]."""
        with self._lock:
            return [i.participant_id for i in self._intervals if start_ms <= i.start_ms <= end_ms]

    def speakers_between(self, start_ms: int, end_ms: int) -> list[tuple[str, str, int]]:
        """[(participant_id, name, overlap_ms)] of everyone who spoke in [start_ms, end_ms), most first."""
        totals: dict[str, list] = {}
        with self._lock:
            for interval in self._intervals:
                stop = end_ms if interval.end_ms is None else interval.end_ms
                overlap = min(stop, end_ms) - max(interval.start_ms, start_ms)
                if overlap <= 0:
                    continue
                entry = totals.setdefault(interval.participant_id, [interval.name, 0])
                entry[1] += overlap
        ranked = [(pid, name, ms) for pid, (name, ms) in totals.items()]
        ranked.sort(key=lambda item: (-item[2], item[1]))
        return ranked
