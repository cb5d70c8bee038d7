"""Turns a cut of audio into results: a partial `Caption`, or the final `Segment`s of an utterance
(split between speakers where the timeline shows a hand-over inside it; a cut of a track that is one
participant's goes to that participant whole, whoever else spoke meanwhile). Runs on the ASR threads;
hands results to the sink in an order listeners can trust: no caption of an utterance after its
segment."""

import re
import threading
from collections.abc import Callable
from datetime import datetime

import numpy as np

from meetings.transcription.base import SAMPLE_RATE, Word
from meetings.transcription.live.segmenter import Cut
from meetings.transcription.live.tracks import TrackOwners
from meetings.transcription.live.utterance import unrepeated
from meetings.transcription.results import Caption, ResultSink, Segment
from meetings.transcription.speakers import Turn, attribute, dominant_speaker, words_text

# Shorter finals are decoded without the previous text as context.
PROMPT_MIN_MS = 1000
# The end of the transcript so far that finals get as context (the backend keeps its last 64 tokens).
CONTEXT_CHARS = 400
# What Whisper says when it hears (almost) nothing: subtitle credits and sign-offs from its training
# data. A final that is only these, for an utterance whose partial heard real words, was decoded
# from too little audio or talked into it by the context.
SILENCE_PHRASES = frozenset(
    {
        "thank you",
        "thank you very much",
        "thanks",
        "thanks for watching",
        "thank you for watching",
        "thank you so much for watching",
        "please subscribe",
        "bye",
        "you",
    }
)


def only_silence_phrases(text: str) -> bool:
    sentences = [re.sub(r"[^\w' ]", "", part).strip().lower() for part in re.split(r"[.!?]+", text)]
    sentences = [s for s in sentences if s]
    return bool(sentences) and all(s in SILENCE_PHRASES for s in sentences)


class UtteranceDecoder:
    def __init__(
        self,
        *,
        sink: ResultSink,
        timeline,
        language: str | None,
        backend: str,
        model: str,
        absolute: Callable[[int], datetime],
        on_segment: Callable[[str, str | None, str, int, int], None],
    ):
        """`absolute(offset_ms)`: the wall-clock time of an offset. `on_segment(speaker,
        participant_id, text, start_ms, end_ms)` is told of every segment stored (the coach)."""
        self.sink = sink
        self.timeline = timeline
        self.language = language
        self.backend = backend
        self.model = model
        self.absolute = absolute
        self.on_segment = on_segment
        self.owners = TrackOwners(timeline)
        self.detected_language = ""
        self._context = ""  # the end of the transcript so far; finals lane only
        self._lock = threading.Lock()
        self._finalized: set[str] = set()  # utterances whose final was taken up
        self._captions: dict[str, str] = {}  # the last caption text of each utterance not final yet

    def captioned(self, utterance_id: str) -> bool:
        with self._lock:
            return utterance_id in self._captions

    def partial(self, engine, cut: Cut) -> None:
        result = engine.transcribe(cut.audio, language=self.language, final=False)
        text = unrepeated(result.text.strip())
        if not text:
            return
        owner = self.owners.owner(cut.track) if cut.track else None
        participant_id, speaker = owner or dominant_speaker(self.timeline, cut.start_ms, cut.end_ms)
        caption = Caption(
            cut.utterance_id,
            speaker,
            participant_id,
            text,
            cut.start_ms,
            cut.end_ms,
            result.language or self.language or "",
        )
        with self._lock:
            if cut.utterance_id in self._finalized:
                return  # its final is on the way: a caption now would come after the segment
            self._captions[cut.utterance_id] = text
            self.sink.caption(caption)

    def final(self, engine, cut: Cut) -> None:
        # Under the partials' lock: a caption of this utterance being handed over now is out before
        # the segment, and none comes after it.
        with self._lock:
            self._finalized.add(cut.utterance_id)
            caption = self._captions.pop(cut.utterance_id, "")
        if len(cut.audio) < SAMPLE_RATE // 10:
            return
        # The transcript so far as context, as Whisper uses the text before in a long recording: an
        # utterance decoded alone misses words that the conversation makes clear (on the simulator's
        # recordings, the last few finals gave 13 % fewer errors than the last one alone). Not for a
        # blip of sound, which a prompt can talk into words.
        prompt = self._context if len(cut.audio) >= PROMPT_MIN_MS * SAMPLE_RATE // 1000 else ""
        result = engine.transcribe(cut.audio, language=self.language, final=True, prompt=prompt or None)
        text = result.text.strip()
        heard_better = caption and not only_silence_phrases(caption)
        if heard_better and only_silence_phrases(text) and prompt:
            # Once more without the context, which can talk a fragment into the last speaker's words.
            result = engine.transcribe(cut.audio, language=self.language, final=True, prompt=None)
            text = result.text.strip()
        if heard_better and (not text or only_silence_phrases(text)):
            # The partial heard words the final did not: keep them rather than lose the line.
            self._store(cut, caption, [], None, result.language)
            return
        if not text:
            return
        self._context = f"{self._context} {text}".strip()[-CONTEXT_CHARS:]
        words = [Word(w.text, w.start_ms + cut.start_ms, w.end_ms + cut.start_ms, w.probability) for w in result.words]
        self._store(cut, text, words, result.confidence, result.language)

    def _store(self, cut: Cut, text: str, words: list[Word], confidence: float | None, language: str) -> None:
        start_ms, end_ms = cut.start_ms, cut.end_ms
        if words:
            # Whisper's word times may reach into the pre-roll or the tail kept after the detected end.
            start_ms, end_ms = min(start_ms, words[0].start_ms), max(end_ms, words[-1].end_ms)
        if language and language != self.detected_language:
            self.detected_language = language
            self.sink.language(language)
        owner = None
        if cut.track:
            self.owners.observe(cut.track, cut.start_ms, cut.end_ms)
            owner = self.owners.owner(cut.track)
        if owner is not None:
            turns = [Turn(owner[0], owner[1], words, start_ms, end_ms)]
        else:
            turns = attribute(self.timeline, start_ms=start_ms, end_ms=end_ms, words=words)
        for turn in turns:
            turn_text = text if len(turns) == 1 else words_text(turn.words)
            probabilities = [w.probability for w in turn.words if w.probability is not None]
            turn_confidence = confidence if len(turns) == 1 or not probabilities else float(np.mean(probabilities))
            segment = Segment(
                utterance_id=cut.utterance_id,
                speaker=turn.speaker,
                participant_id=turn.participant_id,
                text=turn_text,
                start_ms=turn.start_ms,
                end_ms=turn.end_ms,
                started_at=self.absolute(turn.start_ms),
                language=language or self.language or "",
                confidence=turn_confidence,
                words=tuple(turn.words),
                backend=self.backend,
                model=self.model,
            )
            participant_id = self.sink.segment(segment)
            self.on_segment(turn.speaker, participant_id, turn_text, turn.start_ms, turn.end_ms)
