"""Offline speaker diarization of a transcribed recording: who said each segment, as `Speaker 1..N`.

Used for imported files, which have no speaker indicators. The speech Whisper found (its words and
their timings) is cut into windows of up to `WINDOW_S`; each becomes a voice embedding (Resemblyzer's
packaged encoder, a GE2E LSTM); the embeddings are clustered (Ward linkage, then each moved to its
nearest centroid) into the number of speakers asked for, or, for "auto", into the 2..N groups with the
best mean silhouette, or one group when even that is below `settings.DIARIZATION_AUTO_MIN_SILHOUETTE`.
Every word takes its window's speaker, and a segment is split at the word where the speaker changes.
Speakers are numbered in order of their first word.

Returns new segments and writes nothing. Windows shorter than `MIN_EMBED_S` are too short for a
reliable voice print: they are not clustered but go to the nearest speaker found from the long ones.
"""

import threading
from dataclasses import dataclass, replace
from datetime import timedelta

import numpy as np
from django.conf import settings

from meetings.transcription.base import Word
from meetings.transcription.results import Segment
from meetings.transcription.speakers import words_text

SAMPLE_RATE = 16000
WINDOW_S = 2.0
# A silence longer than this between two words ends a window (a turn change is likely there).
GAP_S = 0.5
MIN_EMBED_S = 1.0

_encoder = None
_encoder_lock = threading.Lock()


@dataclass
class Window:
    segment_index: int
    words: list[Word]
    start_ms: int
    end_ms: int
    label: int = -1


def _voice_encoder():
    """Resemblyzer's encoder, loaded once per process from the weights inside its wheel."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            import torch
            from resemblyzer import VoiceEncoder

            torch.set_num_threads(settings.DIARIZATION_THREADS)
            _encoder = VoiceEncoder(device="cpu", verbose=False)
        return _encoder


def _windows(segments: list[Segment]) -> list[Window]:
    windows: list[Window] = []
    for index, segment in enumerate(segments):
        words = list(segment.words) or [Word(segment.text, segment.start_ms, segment.end_ms, 1.0)]
        current: list[Word] = []
        for word in words:
            if current and (
                word.start_ms - current[-1].end_ms > GAP_S * 1000 or word.end_ms - current[0].start_ms > WINDOW_S * 1000
            ):
                windows.append(Window(index, current, current[0].start_ms, current[-1].end_ms))
                current = []
            current.append(word)
        if current:
            windows.append(Window(index, current, current[0].start_ms, current[-1].end_ms))
    return windows


def _embedding(audio: np.ndarray, window: Window) -> np.ndarray:
    # A word Whisper timed as (nearly) instant still gets some sound around it.
    middle, half = (window.start_ms + window.end_ms) // 2, max(200, (window.end_ms - window.start_ms) // 2)
    start = max(0, (middle - half) * SAMPLE_RATE // 1000)
    end = min(len(audio), (middle + half) * SAMPLE_RATE // 1000)
    piece = audio[start:end].astype(np.float32)
    peak = float(np.abs(piece).max()) if len(piece) else 0.0
    if peak > 0:
        piece = piece / peak * 0.5  # the encoder was trained on level-normalised speech
    return _voice_encoder().embed_utterance(piece)


def _silhouette(embeddings: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette (cosine distance): how much closer each window is to its own speaker than to the next."""
    distance = 1.0 - embeddings @ embeddings.T
    scores = []
    for i, label in enumerate(labels):
        own = labels == label
        if own.sum() < 2:
            scores.append(0.0)
            continue
        inside = distance[i, own].sum() / (own.sum() - 1)
        nearest = min(distance[i, labels == other].mean() for other in set(labels.tolist()) - {label})
        scores.append((nearest - inside) / max(inside, nearest))
    return float(np.mean(scores))


def _refine(embeddings: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """A few rounds of moving each window to its nearest speaker centroid (fixes the tree's greedy merges)."""
    for _ in range(10):
        kept = sorted(set(labels.tolist()))
        centroids = np.stack([embeddings[labels == k].mean(axis=0) for k in kept])
        moved = np.array(kept)[np.argmax(embeddings @ centroids.T, axis=1)]
        if (moved == labels).all():
            break
        labels = moved
    return np.unique(labels, return_inverse=True)[1]


def _cluster(embeddings: np.ndarray, speaker_count: int | None) -> np.ndarray:
    """Ward linkage on the unit-length embeddings (euclidean there is a monotone cosine distance)."""
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(embeddings) < 2 or speaker_count == 1:
        return np.zeros(len(embeddings), dtype=int)
    tree = linkage(embeddings, method="ward")

    def split(count: int) -> np.ndarray:
        return _refine(embeddings, fcluster(tree, t=count, criterion="maxclust") - 1)

    if speaker_count is not None:
        return split(min(speaker_count, len(embeddings)))
    candidates = [split(k) for k in range(2, min(settings.DIARIZATION_MAX_SPEAKERS, len(embeddings) - 1) + 1)]
    scored = [(_silhouette(embeddings, labels), labels) for labels in candidates if labels.max() > 0]
    if not scored:
        return np.zeros(len(embeddings), dtype=int)
    best_score, best = max(scored, key=lambda pair: pair[0])
    return best if best_score >= settings.DIARIZATION_AUTO_MIN_SILHOUETTE else np.zeros(len(embeddings), dtype=int)


def _label_windows(audio: np.ndarray, windows: list[Window], speaker_count: int | None) -> None:
    long = [w for w in windows if w.end_ms - w.start_ms >= MIN_EMBED_S * 1000] or windows
    embeddings = np.stack([_embedding(audio, w) for w in long])
    labels = _cluster(embeddings, speaker_count)
    for window, label in zip(long, labels, strict=True):
        window.label = int(label)
    centroids = np.stack([embeddings[labels == k].mean(axis=0) for k in range(labels.max() + 1)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    for window in windows:
        if window.label < 0:
            window.label = int(np.argmax(centroids @ _embedding(audio, window)))


def _turns(segment: Segment, windows: list[Window], names: dict[int, str]) -> list[Segment]:
    """The segment split where its windows' speaker changes (one piece per run of windows)."""
    runs: list[list[Window]] = []
    for window in windows:
        if runs and runs[-1][-1].label == window.label:
            runs[-1].append(window)
        else:
            runs.append([window])
    if len(runs) == 1:
        return [replace(segment, speaker=names[runs[0][0].label], participant_id=None)]
    pieces = []
    for position, run in enumerate(runs):
        words = [word for window in run for word in window.words]
        start_ms = segment.start_ms if position == 0 else words[0].start_ms
        end_ms = segment.end_ms if position == len(runs) - 1 else words[-1].end_ms
        pieces.append(
            replace(
                segment,
                speaker=names[run[0].label],
                participant_id=None,
                text=words_text(words),
                words=tuple(words),
                start_ms=start_ms,
                end_ms=end_ms,
                started_at=segment.started_at + timedelta(milliseconds=start_ms - segment.start_ms)
                if segment.started_at
                else None,
            )
        )
    return pieces


def diarize(*, audio: np.ndarray, segments: list[Segment], speaker_count: int | None) -> list[Segment]:
    """`segments` of the 16 kHz mono `audio`, relabelled `Speaker 1..N`; `speaker_count` None is "auto"."""
    windows = _windows(segments)
    if not windows:
        return segments
    _label_windows(audio, windows, speaker_count)
    names: dict[int, str] = {}
    for window in windows:
        names.setdefault(window.label, f"Speaker {len(names) + 1}")
    labelled: list[Segment] = []
    for index, segment in enumerate(segments):
        labelled.extend(_turns(segment, [w for w in windows if w.segment_index == index], names))
    return labelled
