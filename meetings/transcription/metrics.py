"""Word error rate and speaker accuracy, for tests and benchmarks."""

import re

_NUMBERS = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "10": "ten"}


def normalize(text: str) -> list[str]:
    words = re.findall(r"[\w']+", text.lower().replace("-", " "))
    return [_NUMBERS.get(w, w) for w in words]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edit distance in words, reference length)."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1], len(ref)


def wer(reference: str, hypothesis: str) -> float:
    errors, total = word_errors(reference, hypothesis)
    return errors / max(1, total)


def speaker_word_accuracy(truth: list[tuple[str, int, int]], segments: list[tuple[str, list[dict]]]) -> float:
    """Share of recognised words whose speaker is the one speaking at the word's midpoint.

    truth: (speaker, start_ms, end_ms) of each scripted line; segments: (speaker, words with start/end ms).
    """
    right = total = 0
    for speaker, words in segments:
        for word in words:
            middle = (word["start_ms"] + word["end_ms"]) / 2
            actual = min(
                truth, key=lambda t: 0 if t[1] <= middle <= t[2] else min(abs(middle - t[1]), abs(middle - t[2]))
            )
            total += 1
            right += actual[0] == speaker
    return right / max(1, total)
