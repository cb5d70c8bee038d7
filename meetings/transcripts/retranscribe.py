"""Re-transcription of a meeting's recording: queued here, run by `meetings.imports.recording_transcribe`."""

from django.db import transaction
from django.db.models import Max

from common.errors import Conflict, ValidationError
from meetings.models import Meeting, Recording
from meetings.selectors import recordings_mixed
from meetings.transcription.registry import BACKENDS

# Re-transcription reads the lossless recording when there is one.
LOSSLESS_FORMATS = ("wav", "flac")


def recording_lossless(*, meeting: Meeting) -> Recording | None:
    recordings = list(recordings_mixed(meeting=meeting).filter(kind=Recording.Kind.AUDIO))
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
