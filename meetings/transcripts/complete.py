"""After the call (or an import, or a re-transcription): summary, notes and keywords, the Markdown
document, then `transcript_ready`."""

from pathlib import Path

from django.conf import settings
from django.db import transaction

from common.media_store import media_publish
from meetings import exports
from meetings.events import EventType, publish
from meetings.models import Meeting
from meetings.selectors import meeting_segments
from meetings.summaries import summarize


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


def transcript_complete(*, meeting: Meeting, bot_id: str = "", save_document: bool = True) -> Meeting:
    """After the call (or an import, or a re-transcription): summary, notes and keywords, the Markdown
    document saved under MEDIA_ROOT/documents/<project>/ (`document_saved`; not with `save_document`
    False, a bot's `transcription.save_document`), then `transcript_ready`."""
    meeting.refresh_from_db()
    segments = list(meeting_segments(meeting=meeting))
    revision = segments[0].revision if segments else 1
    result = summarize([(s.speaker, s.text) for s in segments], language=meeting.language)
    meeting.summary, meeting.notes, meeting.keywords = result.summary, result.notes, result.keywords
    meeting.status, meeting.failure_reason = Meeting.Status.COMPLETED, ""
    meeting.save(update_fields=["summary", "notes", "keywords", "status", "failure_reason"])

    relative = document_path(meeting)
    if save_document:
        target = Path(settings.MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(transcript_document(meeting, segments), encoding="utf-8")
        media_publish(target)
    url = f"{settings.PUBLIC_URL}{settings.MEDIA_URL}{relative.as_posix()}"
    transcript_url = f"{settings.PUBLIC_URL}/api/v1/meetings/{meeting.id}/transcript"
    with transaction.atomic():
        if save_document:
            publish(
                meeting,
                EventType.DOCUMENT_SAVED,
                {
                    "kind": "transcript",
                    "format": "md",
                    "path": relative.as_posix(),
                    "url": url,
                    "revision": revision,
                    "segments": len(segments),
                },
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
