"""Writes on transcripts: live segments and captions, insights, and what happens after the call
(summary, the Markdown document, `transcript_ready`), plus re-transcription of a recording."""

import logging
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q

from common.errors import Conflict, ValidationError
from meetings import exports
from meetings.events import EventType, publish
from meetings.models import Meeting, Participant, Recording, TranscriptSegment
from meetings.selectors import meeting_segments
from meetings.summaries import summarize
from meetings.transcription.registry import BACKENDS

log = logging.getLogger(__name__)

# Re-transcription reads the lossless recording when there is one.
LOSSLESS_FORMATS = ("wav", "flac")


def _participant(meeting: Meeting, participant_id: str | None, speaker: str) -> Participant | None:
    if participant_id:
        found = Participant.objects.filter(meeting=meeting).filter(Q(pk=participant_id) | Q(external_id=participant_id))
        participant = found.first()
        if participant is not None:
            return participant
    if speaker:
        return Participant.objects.filter(meeting=meeting, name=speaker).first()
    return None


def segment_create(
    *,
    meeting: Meeting,
    participant_id: str | None,
    speaker: str,
    text: str,
    start_ms: int,
    end_ms: int,
    started_at: datetime | None,
    language: str,
    confidence: float | None,
    words: list[dict],
    backend: str,
    model: str,
    revision: int = 1,
    bot_id: str = "",
    utterance_id: str = "",
    publish_event: bool = True,
) -> TranscriptSegment:
    """Store one finished stretch of speech and publish `segment_finalized`."""
    participant = _participant(meeting, participant_id, speaker)
    with transaction.atomic():
        segment = TranscriptSegment.objects.create(
            meeting=meeting,
            participant=participant,
            speaker=speaker or (participant.name if participant else ""),
            text=text,
            start_ms=start_ms,
            end_ms=end_ms,
            started_at=started_at,
            language=language,
            confidence=None if confidence is None else round(float(confidence), 3),
            words=words,
            revision=revision,
            backend=backend,
            model=model,
        )
        if publish_event:
            payload = exports.segment_dict(segment) | {"utterance_id": utterance_id or None, "revision": revision}
            publish(meeting, EventType.SEGMENT_FINALIZED, payload, bot_id=bot_id)
    return segment


def caption_publish(
    *,
    meeting: Meeting,
    utterance_id: str,
    participant_id: str | None,
    speaker: str,
    text: str,
    start_ms: int,
    end_ms: int,
    language: str,
    bot_id: str = "",
) -> None:
    """A growing caption of the utterance in progress (`caption_partial`); not stored as a segment."""
    participant = _participant(meeting, participant_id, speaker)
    publish(
        meeting,
        EventType.CAPTION_PARTIAL,
        {
            "utterance_id": utterance_id,
            "speaker": speaker or (participant.name if participant else None) or None,
            "participant_id": participant.pk if participant else None,
            "text": text,
            "start_ms": start_ms,
            "end_ms": end_ms,
            "language": language or None,
            "is_final": False,
        },
        bot_id=bot_id,
    )


def insight_publish(*, meeting: Meeting, insight: dict, bot_id: str = "") -> None:
    publish(meeting, EventType.COACH_INSIGHT, insight, bot_id=bot_id)


def meeting_language_detected(*, meeting: Meeting, language: str) -> None:
    """Store the language the model heard (the first one, or a change from it)."""
    if language and meeting.language != language:
        meeting.language = language
        Meeting.objects.filter(pk=meeting.pk).update(language=language)


def document_path(meeting: Meeting) -> Path:
    return Path("documents") / meeting.project_id / f"{meeting.id}.md"


def transcript_document(meeting: Meeting, segments) -> str:
    """The Markdown transcript document: title, summary, notes, keywords, then the transcript."""
    body = exports.render_md(meeting, segments)
    head, _, lines = body.partition("\n\n")
    date, _, transcript = lines.partition("\n\n")
    parts = [head, date]
    if meeting.summary:
        parts += ["## Summary", meeting.summary]
    if meeting.notes:
        parts += ["## Notes", meeting.notes]
    if meeting.keywords:
        parts += ["## Keywords", ", ".join(meeting.keywords)]
    parts += ["## Transcript", transcript.strip()]
    return "\n\n".join(p for p in parts if p).strip() + "\n"


def transcript_complete(*, meeting: Meeting, bot_id: str = "") -> Meeting:
    """After the call (or an import, or a re-transcription): summary, notes and keywords, the Markdown
    document saved under MEDIA_ROOT/documents/<project>/ (`document_saved`), then `transcript_ready`."""
    meeting.refresh_from_db()
    segments = list(meeting_segments(meeting=meeting))
    revision = segments[0].revision if segments else 1
    result = summarize([(s.speaker, s.text) for s in segments], language=meeting.language)
    meeting.summary, meeting.notes, meeting.keywords = result.summary, result.notes, result.keywords
    meeting.status, meeting.failure_reason = Meeting.Status.COMPLETED, ""
    meeting.save(update_fields=["summary", "notes", "keywords", "status", "failure_reason"])

    relative = document_path(meeting)
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(transcript_document(meeting, segments), encoding="utf-8")
    url = f"{settings.PUBLIC_URL}{settings.MEDIA_URL}{relative.as_posix()}"
    transcript_url = f"{settings.PUBLIC_URL}/api/v1/meetings/{meeting.id}/transcript"
    with transaction.atomic():
        publish(
            meeting,
            EventType.DOCUMENT_SAVED,
            {"kind": "transcript", "format": "md", "path": relative.as_posix(), "url": url, "revision": revision},
            bot_id=bot_id,
        )
        publish(
            meeting,
            EventType.TRANSCRIPT_READY,
            {
                "revision": revision,
                "segments": len(segments),
                "language": meeting.language or None,
                "backend": segments[0].backend if segments else None,
                "model": segments[0].model if segments else None,
                "formats": list(exports.FORMATS),
                "transcript_url": transcript_url,
                "summary": meeting.summary,
                "keywords": meeting.keywords,
            },
            bot_id=bot_id,
        )
    return meeting


def recording_lossless(*, meeting: Meeting) -> Recording | None:
    recordings = list(meeting.recordings.filter(kind=Recording.Kind.AUDIO))
    for fmt in LOSSLESS_FORMATS:
        for recording in recordings:
            if recording.format == fmt:
                return recording
    return recordings[0] if recordings else None


def meeting_retranscribe(
    *, meeting: Meeting, backend: str | None = None, model: str | None = None, language: str | None = None
) -> int:
    """Queue a new transcription of the whole recording; returns the revision it will write.

    `transcript_ready` is published when it is done. 409 while the meeting has no recording yet.
    """
    if backend is not None and backend not in BACKENDS:
        raise ValidationError(f"Unknown backend '{backend}'.", fields={"backend": [f"one of {', '.join(BACKENDS)}"]})
    if backend == "captions":
        raise ValidationError(
            "The captions backend cannot transcribe a recording.", fields={"backend": ["needs an audio backend"]}
        )
    if recording_lossless(meeting=meeting) is None:
        raise Conflict(f"Meeting {meeting.id} has no audio recording to transcribe.", code="no_recording")
    revision = (meeting.segments.aggregate(r=Max("revision"))["r"] or 0) + 1
    options = {"backend": backend, "model": model, "language": language}
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PROCESSING)

    def enqueue():
        from meetings.tasks import transcribe_recording

        transcribe_recording.delay(meeting.id, revision, options)

    transaction.on_commit(enqueue)
    return revision
