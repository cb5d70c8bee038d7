"""Writes on transcripts: the results of transcription stored and published (segments.py, writer.py),
what happens after the call (complete.py) and re-transcription (retranscribe.py)."""

from meetings.transcripts.complete import document_path, transcript_complete, transcript_document
from meetings.transcripts.retranscribe import meeting_retranscribe, recording_lossless
from meetings.transcripts.segments import caption_publish, insight_publish, meeting_language_detected, segment_store
from meetings.transcripts.writer import TranscriptWriter, live_transcriber_start, meeting_transcribe_audio

__all__ = [
    "TranscriptWriter",
    "caption_publish",
    "document_path",
    "insight_publish",
    "live_transcriber_start",
    "meeting_language_detected",
    "meeting_retranscribe",
    "meeting_transcribe_audio",
    "recording_lossless",
    "segment_store",
    "transcript_complete",
    "transcript_document",
]
