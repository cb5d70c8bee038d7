"""Transcription's results into the meeting: the live sink a bot's transcriber writes to, and the
store of a whole recording's transcription."""

from django.db import close_old_connections, connection

from accounts.crypto import secret_decrypt
from accounts.transcription_keys import transcription_key_for
from meetings.models import Meeting
from meetings.selectors import meeting_speaker_timeline
from meetings.transcription.registry import CLOUD_BACKENDS
from meetings.transcription.results import Caption, Segment
from meetings.transcripts.segments import caption_publish, insight_publish, meeting_language_detected, segment_store


class TranscriptWriter:
    """The `ResultSink` of one meeting's live transcription: stores segments and publishes events,
    in the order the transcriber's ASR threads hand them over."""

    def __init__(self, *, meeting: Meeting, bot_id: str = ""):
        self.meeting = meeting
        self.bot_id = bot_id

    def caption(self, caption: Caption) -> None:
        caption_publish(meeting=self.meeting, caption=caption, bot_id=self.bot_id)

    def segment(self, segment: Segment) -> str | None:
        return segment_store(meeting=self.meeting, segment=segment, bot_id=self.bot_id).participant_id

    def insight(self, insight: dict) -> None:
        insight_publish(meeting=self.meeting, insight=insight, bot_id=self.bot_id)

    def language(self, language: str) -> None:
        meeting_language_detected(meeting=self.meeting, language=language)

    def thread_done(self) -> None:
        # Each ASR thread has its own database connection; it goes with the thread.
        connection.close()


def live_transcriber_start(*, meeting: Meeting, settings: dict, timeline, bot_id: str = "", **options):
    """A live transcriber whose results go into `meeting` (an audio sink for the bot's runner).
    `options`: `started_at`, `mode`, `coach`, as `LiveTranscriber` takes them."""
    from meetings.transcription.live import LiveTranscriber
    from meetings.transcription.registry import options_from_settings
    from meetings.transcription.streaming import STREAMING_BACKENDS, StreamingTranscriber

    close_old_connections()
    if settings.get("api_key_encrypted"):
        # The bot's own provider key, decrypted only here, for the transcriber's calls.
        settings = {**settings, "api_key": secret_decrypt(settings["api_key_encrypted"])}
    elif settings.get("backend") in CLOUD_BACKENDS:
        # Else its organization's, if one is stored (else the server's, NOTULA_*_API_KEY).
        key = transcription_key_for(organization=meeting.organization, provider=settings["backend"])
        settings = {**settings, "api_key": key} if key else settings
    # A provider with a streaming socket transcribes live itself; the others go through the local pipeline.
    streams = options_from_settings(settings).backend in STREAMING_BACKENDS
    return (StreamingTranscriber if streams else LiveTranscriber)(
        sink=TranscriptWriter(meeting=meeting, bot_id=bot_id),
        settings=settings,
        timeline=timeline,
        name=meeting.pk,
        **options,
    )


def meeting_transcribe_audio(
    *, meeting: Meeting, audio, revision: int, transcription: dict, publish_segments: bool
) -> int:
    """Transcribe a whole recording of the meeting into segments of `revision`; returns how many."""
    from meetings.transcription.offline import transcribe_audio

    recognition = transcribe_audio(
        audio=audio,
        transcription={**transcription, "language": transcription.get("language") or meeting.language or None},
        timeline=meeting_speaker_timeline(meeting=meeting),
        started_at=meeting.started_at,
    )
    meeting_language_detected(meeting=meeting, language=recognition.language)
    segments = recognition.segments
    if transcription.get("speaker_count") is not None:
        # An import asked for speaker labels: Speaker 1..N from the voices ("auto": None, count them).
        from meetings.transcription.diarize import diarize

        count = transcription["speaker_count"]
        segments = diarize(audio=audio, segments=segments, speaker_count=None if count == "auto" else int(count))
    for segment in segments:
        segment_store(meeting=meeting, segment=segment, revision=revision, publish_event=publish_segments)
    return len(segments)
