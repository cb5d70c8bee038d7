"""The capture's sample clock follows the wall clock when Chromium's audio renderer skips time."""

import random

from bots.capture import SAMPLE_RATE, SampleClock

CHUNK = 1600  # 100 ms


def _feed(clock, stamps_ms):
    """Chunks counted back to back from sample 0, completed at `stamps_ms`; returns their offsets."""
    return [clock.place(index * CHUNK, CHUNK, at) for index, at in enumerate(stamps_ms)]


def test_a_steady_stream_with_jitter_keeps_its_sample_offsets():
    jitter = random.Random(7)
    stamps = [1_000_000 + 100 * (i + 1) + 40 + jitter.uniform(-60, 60) for i in range(600)]
    offsets = _feed(SampleClock(), stamps)
    assert offsets == [i * CHUNK for i in range(600)]


def test_skipped_time_moves_later_audio_forward_by_as_much():
    # 30 s of audio; after 10 s the renderer skipped 700 ms: later chunks complete 700 ms later.
    stamps = [5_000 + 100 * (i + 1) + (700 if i >= 100 else 0) for i in range(300)]
    clock = SampleClock()
    offsets = _feed(clock, stamps)
    assert offsets[:100] == [i * CHUNK for i in range(100)]
    shift_ms = (offsets[-1] - 299 * CHUNK) * 1000 / SAMPLE_RATE
    assert 650 <= shift_ms <= 750
    # Back on the wall clock: the last chunk's audio ends when it was completed, less the steady delay.
    assert abs((offsets[-1] + CHUNK) * 1000 / SAMPLE_RATE + 5_000 - stamps[-1]) < 60


def test_a_late_burst_that_catches_up_is_not_taken_for_a_skip():
    # A stall of 500 ms delivers five chunks late, then the renderer catches up with the wall clock.
    stamps = [100 * (i + 1) for i in range(200)]
    for i in range(50, 55):
        stamps[i] = 100 * 56
    assert _feed(SampleClock(), stamps) == [i * CHUNK for i in range(200)]


def test_chunks_without_a_wall_time_keep_their_offsets():
    assert _feed(SampleClock(), [None] * 30) == [i * CHUNK for i in range(30)]
