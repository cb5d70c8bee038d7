"""Whole-recording transcription: re-transcription of a meeting's recording and file imports.

The same backends as the live pipeline, run once over the whole file with Whisper's own VAD and a
wider beam; speakers come from the meeting's stored speaker timeline (ParticipantEvent rows).
"""

from datetime import timedelta

import numpy as np
from django.conf import settings

from meetings.models import Meeting, ParticipantEvent
from meetings.timeline import SpeakerTimeline
from meetings.transcription.base import Word
from meetings.transcription.languages import language_option
from meetings.transcription.registry import backend_get, options_from_settings
from meetings.transcription.speakers import attribute, words_text


def timeline_from_events(meeting: Meeting) -> SpeakerTimeline:
    timeline = SpeakerTimeline()
    events = ParticipantEvent.objects.filter(
        meeting=meeting, kind__in=[ParticipantEvent.Kind.SPEECH_START, ParticipantEvent.Kind.SPEECH_STOP]
    ).select_related("participant")
    for event in events.order_by("offset_ms", "id"):
        if event.kind == ParticipantEvent.Kind.SPEECH_START:
            timeline.start(event.participant_id, event.participant.name, event.offset_ms)
        else:
            timeline.stop(event.participant_id, event.offset_ms)
    return timeline


def transcribe_audio(
    *, meeting: Meeting, audio: np.ndarray, revision: int, transcription: dict, publish_segments: bool
) -> int:
    """Transcribe `audio` (the whole meeting) into segments of `revision`; returns how many were written."""
    from meetings.transcripts import meeting_language_detected, segment_create

    options = options_from_settings(transcription)
    language = language_option(transcription.get("language") or meeting.language or None)
    backend = backend_get(options)
    result = backend.transcribe(
        audio, language=language, beam_size=settings.ASR_OFFLINE_BEAM_SIZE, word_timestamps=True, vad_filter=True
    )
    if result.language:
        meeting_language_detected(meeting=meeting, language=result.language)
    timeline = timeline_from_events(meeting)
    has_speakers = bool(timeline.speakers_between(0, 2**62))
    origin = meeting.started_at
    written = 0
    for piece in result.pieces:
        words = list(piece.words)
        turns = attribute(timeline if has_speakers else None, start_ms=piece.start_ms, end_ms=piece.end_ms, words=words)
        for turn in turns:
            text = piece.text if len(turns) == 1 else words_text(turn.words)
            segment_create(
                meeting=meeting,
                participant_id=turn.participant_id,
                speaker=turn.speaker,
                text=text,
                start_ms=turn.start_ms,
                end_ms=turn.end_ms,
                started_at=origin + timedelta(milliseconds=turn.start_ms) if origin else None,
                language=result.language or language or "",
                confidence=piece.confidence,
                words=[Word.as_dict(w) for w in turn.words],
                backend=options.backend,
                model=options.model,
                revision=revision,
                publish_event=publish_segments,
            )
            written += 1
    return written
