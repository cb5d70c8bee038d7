"""Word error rate and speaker accuracy, for tests and benchmarks."""

import re

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen".split()
_ONES += ["seventeen", "eighteen", "nineteen"]
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth", "10th": "tenth"}


def _spelled(number: int) -> list[str]:
    if number < 20:
        return [_ONES[number]]
    tens, ones = divmod(number, 10)
    return [_TENS[tens]] + ([_ONES[ones]] if ones else [])


def normalize(text: str) -> list[str]:
    """Lower-case words without punctuation; numerals up to 99 spelled out ("40" -> "forty"), as
    a script and a transcript may write a number either way."""
    words = []
    for word in re.findall(r"[\w']+", text.lower().replace("-", " ")):
        if word.isdigit() and int(word) < 100:
            words += _spelled(int(word))
        else:
            words.append(_ORDINALS.get(word, word))
    return words


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
