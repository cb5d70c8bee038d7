"""Who spoke when, from the page's speaking indicators: the in-memory timeline of one bot's call.

The runner records speech starts and stops as the indicators change; the transcription pipeline
asks who spoke during an utterance. Times are ms since the bot was admitted.
"""

import threading
from collections import defaultdict


class SpeakerTimeline:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._names: dict[str, str] = {}
        # participant_id -> [[start_ms, end_ms or None], ...]
        self._spans: dict[str, list[list]] = defaultdict(list)

    def speech_start(self, participant_id: str, name: str, offset_ms: int) -> None:
        with self._lock:
            self._names[participant_id] = name
            spans = self._spans[participant_id]
            if not spans or spans[-1][1] is not None:
                spans.append([offset_ms, None])

    def speech_stop(self, participant_id: str, offset_ms: int) -> None:
        with self._lock:
            spans = self._spans.get(participant_id)
            if spans and spans[-1][1] is None:
                spans[-1][1] = max(offset_ms, spans[-1][0])

    def speakers_between(self, start_ms: int, end_ms: int) -> list[tuple[str, str, int]]:
        """[(participant_id, name, overlap_ms)] of everyone who spoke in [start_ms, end_ms], most first.

        A span still open counts as running up to end_ms.
        """
        result = []
        with self._lock:
            for participant_id, spans in self._spans.items():
                overlap = 0
                for span_start, span_end in spans:
                    stop = end_ms if span_end is None else span_end
                    overlap += max(0, min(stop, end_ms) - max(span_start, start_ms))
                if overlap > 0:
                    result.append((participant_id, self._names.get(participant_id, ""), overlap))
        result.sort(key=lambda item: -item[2])
        return result

    def spans(self) -> dict[str, list[tuple[int, int | None]]]:
        with self._lock:
            return {pid: [tuple(s) for s in spans] for pid, spans in self._spans.items()}
