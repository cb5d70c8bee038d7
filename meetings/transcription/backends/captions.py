"""The platform's own live captions as the transcript: zero compute.

The runner reads the caption lines the page shows (speaker + text, the last line growing while the
person talks) and hands each snapshot to `LiveTranscriber.feed_captions`; `CaptionTracker` turns
those snapshots into growing partials and finished lines.
"""

from dataclasses import dataclass, field

import numpy as np

from meetings.transcription.base import BackendOptions, Transcription


class CaptionsBackend:
    name = "captions"
    transcribes_audio = False
    parallel_calls = True

    def __init__(self, options: BackendOptions):
        self.options = options
        self.multilingual = True

    def transcribe(self, audio: np.ndarray, *, language: str | None, **kwargs) -> Transcription:
        # Audio is not transcribed: the text comes from the page. Re-transcribing a recording
        # needs an audio backend.
        raise NotImplementedError("The captions backend has no audio transcription; choose faster-whisper.")


@dataclass
class CaptionLine:
    speaker: str
    text: str
    start_ms: int
    updated_ms: int
    seen_ms: int
    partials_sent: int = 0


@dataclass
class CaptionUpdate:
    partials: list[CaptionLine] = field(default_factory=list)
    finished: list[CaptionLine] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _continues(old: str, new: str) -> bool:
    """The platform rewrites the tail of a growing line as it recognises more, so compare the head."""
    old, new = _norm(old), _norm(new)
    if not old or not new:
        return False
    head = old[: max(8, len(old) // 2)]
    return new.startswith(head) or old.startswith(new[: max(8, len(new) // 2)])


class CaptionTracker:
    """Follows one open line per speaker; a line finishes when replaced, gone, or still for `idle_ms`."""

    def __init__(self, *, idle_ms: int = 1500):
        self.idle_ms = idle_ms
        self.open: dict[str, CaptionLine] = {}
        # The last finished text per speaker: it stays on screen for a while and is not a new line.
        self.done: dict[str, str] = {}

    def feed(self, captions, offset_ms: int) -> CaptionUpdate:
        """One snapshot of the caption area: (speaker, text) lines, oldest first."""
        update = CaptionUpdate()
        latest: dict[str, str] = {}
        for caption in captions:
            if isinstance(caption, dict):
                speaker, text = caption.get("speaker"), caption.get("text")
            elif isinstance(caption, tuple | list):
                speaker, text = caption
            else:
                speaker, text = caption.speaker, caption.text
            if (text or "").strip():
                # Platforms keep older lines on screen; a speaker's live line is their last one.
                latest[speaker or ""] = text.strip()
        for speaker, text in latest.items():
            current = self.open.get(speaker)
            if current is None and self.done.get(speaker) == text:
                continue
            if current is not None and current.text == text:
                current.seen_ms = offset_ms
            elif current is not None and _continues(current.text, text):
                current.text, current.updated_ms, current.seen_ms = text, offset_ms, offset_ms
                update.partials.append(current)
            else:
                if current is not None:
                    update.finished.append(self.open.pop(speaker))
                line = CaptionLine(speaker, text, offset_ms, offset_ms, offset_ms)
                self.open[speaker] = line
                update.partials.append(line)
        for speaker, line in list(self.open.items()):
            gone = speaker not in latest and offset_ms - line.seen_ms >= 500
            if gone or offset_ms - line.updated_ms >= self.idle_ms:
                update.finished.append(self.open.pop(speaker))
        for line in update.finished:
            self.done[line.speaker] = line.text
        return update

    def flush(self) -> list[CaptionLine]:
        lines = sorted(self.open.values(), key=lambda line: line.start_ms)
        self.open.clear()
        return lines
