"""Diarization error rate, for the diarization test and benchmark.

The standard definition (NIST md-eval): over the reference's speech time, missed speech + false alarm
+ speaker confusion, divided by the total reference speech (overlap counts once per speaker), with
the one-to-one hypothesis-to-reference speaker mapping that maximises the matched time. Scored on
10 ms frames; a `collar` (seconds) either side of every reference turn boundary is not scored.
"""

from dataclasses import dataclass

import numpy as np

FRAME_S = 0.01


@dataclass(frozen=True)
class DerResult:
    der: float
    missed: float
    false_alarm: float
    confusion: float
    reference_s: float


def read_rttm(text: str) -> list[tuple[str, float, float]]:
    """`SPEAKER` lines of an RTTM file as (speaker, start_s, end_s)."""
    turns = []
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] == "SPEAKER":
            start, duration = float(fields[3]), float(fields[4])
            turns.append((fields[7], start, start + duration))
    return turns


def _activity(turns, speakers: list[str], frames: int) -> np.ndarray:
    active = np.zeros((len(speakers), frames), dtype=bool)
    for speaker, start, end in turns:
        active[speakers.index(speaker), int(round(start / FRAME_S)) : int(round(end / FRAME_S))] = True
    return active


def diarization_error_rate(reference, hypothesis, *, collar: float = 0.25) -> DerResult:
    """`reference` and `hypothesis`: (speaker, start_s, end_s) turns; names need not match."""
    from scipy.optimize import linear_sum_assignment

    end = max(t[2] for t in [*reference, *hypothesis])
    frames = int(np.ceil(end / FRAME_S)) + 1
    ref_names, hyp_names = sorted({t[0] for t in reference}), sorted({t[0] for t in hypothesis})
    ref, hyp = _activity(reference, ref_names, frames), _activity(hypothesis, hyp_names, frames)
    scored = np.ones(frames, dtype=bool)
    width = int(round(collar / FRAME_S))
    for _, start, stop in reference:
        for boundary in (int(round(start / FRAME_S)), int(round(stop / FRAME_S))):
            scored[max(0, boundary - width) : boundary + width] = False
    ref, hyp = ref[:, scored], hyp[:, scored]
    overlap = ref.astype(np.int64) @ hyp.T.astype(np.int64)  # frames both speak, per (ref, hyp) pair
    rows, cols = linear_sum_assignment(-overlap) if overlap.size else ([], [])
    n_ref, n_hyp = ref.sum(axis=0), hyp.sum(axis=0)
    correct = np.zeros(ref.shape[1], dtype=np.int64)
    for r, h in zip(rows, cols, strict=True):
        correct += ref[r] & hyp[h]
    missed = np.maximum(n_ref - n_hyp, 0).sum() * FRAME_S
    false_alarm = np.maximum(n_hyp - n_ref, 0).sum() * FRAME_S
    confusion = (np.minimum(n_ref, n_hyp) - correct).sum() * FRAME_S
    total = n_ref.sum() * FRAME_S
    return DerResult(
        der=(missed + false_alarm + confusion) / total,
        missed=missed / total,
        false_alarm=false_alarm / total,
        confusion=confusion / total,
        reference_s=total,
    )
