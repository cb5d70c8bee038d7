"""Speaker attribution: an utterance's words to the people the speaker timeline says were talking.

One dominant speaker gets the whole utterance. When the timeline shows a clear hand-over inside it,
each word goes to whoever spoke during it, and the utterance is split where the speaker changes;
a change is clear when the new speaker holds at least `MIN_RUN_WORDS` words in a row. When the
timeline has nobody in the utterance (indicators lag the audio), the nearest speaker around it is
used: someone was speaking, so the segment never goes to nobody.
"""

from dataclasses import dataclass

from meetings.transcription.base import Word

# Indicators on real platforms lag the audio by a few hundred ms; words are matched with this slack.
SLACK_MS = 300
# Look this far around an utterance for a speaker when the indicators show nobody inside it.
SEARCH_MS = 3000
MIN_RUN_WORDS = 2
# A second speaker with less than this share of the utterance is treated as crosstalk.
MIN_SECOND_SHARE = 0.2


@dataclass
class Turn:
    participant_id: str | None
    speaker: str
    words: list[Word]
    start_ms: int
    end_ms: int


def _top(timeline, start_ms: int, end_ms: int):
    if timeline is None:
        return None
    found = timeline.speakers_between(start_ms, end_ms)
    return (found[0][0], found[0][1]) if found else None


def dominant_speaker(timeline, start_ms: int, end_ms: int) -> tuple[str | None, str]:
    for slack in (0, SLACK_MS, SEARCH_MS):
        top = _top(timeline, start_ms - slack, end_ms + slack)
        if top:
            return top
    return None, ""


def attribute(timeline, *, start_ms: int, end_ms: int, words: list[Word]) -> list[Turn]:
    """Split an utterance (absolute ms; words with absolute times) into turns of one speaker each."""
    participant_id, name = dominant_speaker(timeline, start_ms, end_ms)
    whole = [Turn(participant_id, name, list(words), start_ms, end_ms)]
    found = timeline.speakers_between(start_ms - SLACK_MS, end_ms + SLACK_MS) if timeline is not None else []
    total = sum(item[2] for item in found) or 1
    if not words or len(found) < 2 or found[1][2] / total < MIN_SECOND_SHARE:
        return whole
    labels = []
    for word in words:
        top = _top(timeline, word.start_ms - SLACK_MS // 3, word.end_ms + SLACK_MS // 3)
        labels.append(top or (labels[-1] if labels else (participant_id, name)))
    # Runs shorter than MIN_RUN_WORDS join the run before them (or after, at the start).
    runs: list[list] = []
    for word, label in zip(words, labels, strict=True):
        if runs and runs[-1][0] == label:
            runs[-1][1].append(word)
        else:
            runs.append([label, [word]])
    merged: list[list] = []
    for label, run_words in runs:
        if merged and (len(run_words) < MIN_RUN_WORDS or merged[-1][0] == label):
            merged[-1][1].extend(run_words)
        else:
            merged.append([label, run_words])
    if len(merged) > 1 and len(merged[0][1]) < MIN_RUN_WORDS:
        merged[1][1][:0] = merged[0][1]
        merged.pop(0)
    if len(merged) == 1:
        (pid, pname), run_words = merged[0]
        return [Turn(pid, pname, run_words, start_ms, end_ms)]
    turns = []
    for index, ((pid, pname), run_words) in enumerate(merged):
        turn_start = start_ms if index == 0 else run_words[0].start_ms
        turn_end = end_ms if index == len(merged) - 1 else run_words[-1].end_ms
        turns.append(Turn(pid, pname, run_words, turn_start, turn_end))
    return turns


def words_text(words: list[Word]) -> str:
    return " ".join(w.text for w in words).strip()
