"""Shared pieces of the ASR tests: feeding a transcriber like the runner does."""

import time

import numpy as np

from meetings.timeline import SpeakerTimeline
from meetings.transcription.base import float_to_pcm16

CHUNK_MS = 100
# Speaking indicators on the page trail the audio a little.
INDICATOR_LAG_MS = 150


def feed(transcriber, audio: np.ndarray, lines, ids: dict[str, str], *, pace: float = 2.0, timeline=None):
    """Write `audio` in 100 ms chunks at `pace` x real time, driving the timeline from the script."""
    timeline = timeline if timeline is not None else transcriber.timeline
    marks = []
    for line in lines:
        marks.append((line.start_ms + INDICATOR_LAG_MS, "start", line.speaker))
        marks.append((line.end_ms + INDICATOR_LAG_MS, "stop", line.speaker))
    marks.sort()
    samples = 16000 * CHUNK_MS // 1000
    began = time.monotonic()
    for index in range(0, len(audio), samples):
        offset = index * 1000 // 16000
        while marks and marks[0][0] < offset + CHUNK_MS:
            at, kind, speaker = marks.pop(0)
            if kind == "start":
                timeline.start(ids[speaker], speaker, at)
            else:
                timeline.stop(ids[speaker], at)
        transcriber.write(float_to_pcm16(audio[index : index + samples]), offset)
        if pace:
            delay = began + (offset + CHUNK_MS) / 1000 / pace - time.monotonic()
            if delay > 0:
                time.sleep(delay)


def new_timeline() -> SpeakerTimeline:
    return SpeakerTimeline()
