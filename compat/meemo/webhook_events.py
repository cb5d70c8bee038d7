"""Meemo's five webhook events, each one of Notula's events under Meemo's name.

`meeting.summarization_completed` is `document.saved`: Notula writes the summary, notes and keywords
with the transcript's document, just before `transcript.ready` (meetings/transcripts/complete.py)."""

from meetings.events.catalogue import EventType

NOTULA_OF = {
    "meeting.created": EventType.BOT_CREATED,
    "meeting.deleted": EventType.DATA_DELETED,
    "meeting.transcription_completed": EventType.TRANSCRIPT_READY,
    "meeting.transcription_failed": EventType.TRANSCRIPT_FAILED,
    "meeting.summarization_completed": EventType.DOCUMENT_SAVED,
}
MEEMO_OF = {notula: meemo for meemo, notula in NOTULA_OF.items()}
MEEMO_EVENTS = list(NOTULA_OF)
