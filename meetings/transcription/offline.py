"""Whole-recording transcription: re-transcription of a meeting's recording and file imports.

The same backends as the live pipeline, run once over the whole file with Whisper's own VAD and a
wider beam; speakers come from the speaker timeline the caller gives (the meeting's stored one).
Returns the segments; the meetings services store them.
"""

from datetime import datetime, timedelta

import numpy as np
from django.conf import settings

from meetings.timeline import SpeakerTimeline
from meetings.transcription.languages import language_option
from meetings.transcription.registry import backend_get, options_from_settings
from meetings.transcription.results import Recognition, Segment
from meetings.transcription.speakers import attribute, words_text


def transcribe_audio(
    *, audio: np.ndarray, transcription: dict, timeline: SpeakerTimeline | None, started_at: datetime | None
) -> Recognition:
    """Transcribe `audio` (a whole meeting); `started_at` is the wall-clock time of its first sample."""
    options = options_from_settings(transcription)
    language = language_option(transcription.get("language"))
    result = backend_get(options).transcribe(
        audio, language=language, beam_size=settings.ASR_OFFLINE_BEAM_SIZE, word_timestamps=True, vad_filter=True
    )
    if timeline is not None and not timeline.speakers_between(0, 2**62):
        timeline = None
    segments = []
    for piece in result.pieces:
        turns = attribute(timeline, start_ms=piece.start_ms, end_ms=piece.end_ms, words=list(piece.words))
        for turn in turns:
            segments.append(
                Segment(
                    utterance_id="",
                    speaker=turn.speaker,
                    participant_id=turn.participant_id,
                    text=piece.text if len(turns) == 1 else words_text(turn.words),
                    start_ms=turn.start_ms,
                    end_ms=turn.end_ms,
                    started_at=started_at + timedelta(milliseconds=turn.start_ms) if started_at else None,
                    language=result.language or language or "",
                    confidence=piece.confidence,
                    words=tuple(turn.words),
                    backend=options.backend,
                    model=options.model,
                )
            )
    return Recognition(language=result.language, segments=segments)
