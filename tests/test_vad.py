"""The energy voice-activity detector on synthetic audio: starts, short pauses and ends."""

import numpy as np

from meetings.transcription.vad import EnergyVad

RATE = 16000


def _tone(ms: int) -> np.ndarray:
    t = np.arange(ms * RATE // 1000) / RATE
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def _silence(ms: int) -> np.ndarray:
    return np.zeros(ms * RATE // 1000, dtype=np.float32)


def _events(audio: np.ndarray, **kwargs):
    vad = EnergyVad(**kwargs)
    events = []
    for index in range(0, len(audio), RATE // 10):
        events += vad.process(audio[index : index + RATE // 10], index * 1000 // RATE)
    return [(e.kind, e.offset_ms, e.end_ms) for e in events]


def test_a_short_pause_is_reported_and_a_long_one_ends_the_utterance():
    audio = np.concatenate([_silence(500), _tone(1000), _silence(300), _tone(800), _silence(900), _tone(400)])
    events = _events(audio, silence_ms=500, pause_ms=200)
    assert events == [
        ("start", 500, 0),
        ("pause", 1500, 1800),
        ("end", 2600, 0),
        ("start", 3500, 0),
    ]


def test_pauses_shorter_than_the_threshold_are_not_reported():
    audio = np.concatenate([_tone(600), _silence(100), _tone(600), _silence(600)])
    assert [kind for kind, _, _ in _events(audio, pause_ms=200)] == ["start", "end"]
