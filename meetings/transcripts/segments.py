"""The one writer of transcript results: segments stored and published, captions and insights
published, the language heard recorded. Live and whole-recording transcription both end here."""

from django.db import transaction
from django.db.models import Q

from meetings import exports
from meetings.events import EventType, publish
from meetings.models import Meeting, Participant, TranscriptSegment
from meetings.transcription.base import Word
from meetings.transcription.results import Caption, Segment


def _participant(meeting: Meeting, participant_id: str | None, speaker: str) -> Participant | None:
    if participant_id:
        found = Participant.objects.filter(meeting=meeting).filter(Q(pk=participant_id) | Q(external_id=participant_id))
        participant = found.first()
        if participant is not None:
            return participant
    if speaker:
        return Participant.objects.filter(meeting=meeting, name=speaker).first()
    return None


def segment_store(
    *, meeting: Meeting, segment: Segment, revision: int = 1, bot_id: str = "", publish_event: bool = True
) -> TranscriptSegment:
    """Store one finished stretch of speech and publish `segment_finalized` (unless told not to: a
    re-transcription announces itself once, with `transcript_ready`)."""
    participant = _participant(meeting, segment.participant_id, segment.speaker)
    with transaction.atomic():
        row = TranscriptSegment.objects.create(
            meeting=meeting,
            participant=participant,
            speaker=segment.speaker or (participant.name if participant else ""),
            text=segment.text,
            start_ms=segment.start_ms,
            end_ms=segment.end_ms,
            started_at=segment.started_at,
            language=segment.language,
            confidence=None if segment.confidence is None else round(float(segment.confidence), 3),
            words=[Word.as_dict(w) for w in segment.words],
            revision=revision,
            backend=segment.backend,
            model=segment.model,
        )
        if publish_event:
            payload = exports.segment_dict(row) | {"utterance_id": segment.utterance_id or None, "revision": revision}
            publish(meeting, EventType.SEGMENT_FINALIZED, payload, bot_id=bot_id)
    return row


def caption_publish(*, meeting: Meeting, caption: Caption, bot_id: str = "") -> None:
    """A growing caption of the utterance in progress (`caption_partial`); not stored as a segment."""
    participant = _participant(meeting, caption.participant_id, caption.speaker)
    publish(
        meeting,
        EventType.CAPTION_PARTIAL,
        {
            "utterance_id": caption.utterance_id,
            "speaker": caption.speaker or (participant.name if participant else None) or None,
            "participant_id": participant.pk if participant else None,
            "text": caption.text,
            "start_ms": caption.start_ms,
            "end_ms": caption.end_ms,
            "language": caption.language or None,
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
