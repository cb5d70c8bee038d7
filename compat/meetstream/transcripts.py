"""MeetStream's calls on a bot's stored media and transcripts beyond the first: the recording's streams
(`get_audio_streams`, `get_recording_streams`), the transcript's revisions (`transcriptions`) and a new
transcription of the stored audio (`transcribe`, Notula's re-transcription)."""

from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.transcription_default import transcription_options_with_default
from common.media import media_link
from compat.meetstream.create import transcription_from
from compat.meetstream.inputs import TranscriptConfigInput
from compat.meetstream.outputs import transcript_id
from compat.meetstream.views import MeetStreamView
from compat.times import iso_ms_z
from meetings.api.serializers import ASR_BACKEND_CHOICES
from meetings.models import Recording
from meetings.selectors import meeting_transcript_revisions, recordings_mixed
from meetings.transcripts.retranscribe import meeting_retranscribe


class TranscribeInput(TranscriptConfigInput):
    """`{provider?: {<name>: {language?}}}`, read as create_bot's `recording_config.transcript`."""


def _streams(request, bot, kinds: tuple[str, ...]) -> list[dict]:
    rows = []
    for recording in recordings_mixed(meeting=bot.meeting).filter(kind__in=kinds):
        url, expires_at = media_link(recording.file.name, request=request)
        rows.append(
            {
                "stream_id": recording.id,
                "kind": recording.kind,
                # Notula records the meeting mixed: one stream of everyone, no speaker of its own.
                "speaker": None,
                "url": url,
                "expires_at": iso_ms_z(expires_at),
                "format": recording.format,
                "duration": recording.duration_ms / 1000,
                "size_bytes": recording.size_bytes,
            }
        )
    return rows


class AudioStreamsView(MeetStreamView):
    def get(self, request, bot_id: str):
        bot = self.bot_for(bot_id)
        return Response({"bot_id": bot.id, "audio_streams": _streams(request, bot, (Recording.Kind.AUDIO,))})


class RecordingStreamsView(MeetStreamView):
    def get(self, request, bot_id: str):
        bot = self.bot_for(bot_id)
        kinds = (Recording.Kind.AUDIO, Recording.Kind.VIDEO)
        return Response({"bot_id": bot.id, "recording_streams": _streams(request, bot, kinds)})


class TranscriptionsView(MeetStreamView):
    """Every revision of the bot's transcript (the live one, then each re-transcription); the latest
    is what `get_transcript` answers."""

    def get(self, request, bot_id: str):
        bot = self.bot_for(bot_id)
        rows = [
            {
                "transcript_id": transcript_id(bot),
                "revision": row["revision"],
                "segments": row["segments"],
                "provider": row["backend"] or None,
                "created_at": iso_ms_z(row["created_at"]),
            }
            for row in meeting_transcript_revisions(meeting=bot.meeting)
        ]
        return Response({"bot_id": bot.id, "status": bot.meeting.status, "transcriptions": rows})


class TranscribeView(MeetStreamView):
    """200 once queued (the SDK takes a 202 for "not ready"); `get_transcript` then answers 202 until the
    new revision is complete, then it. 409 while the bot has no stored audio."""

    def post(self, request, bot_id: str):
        bot = self.bot_for(bot_id)
        data = TranscribeInput(data=request.data)
        data.is_valid(raise_exception=True)
        organization = request.user.organization
        chosen = transcription_from(data.validated_data.get("provider"), organization=organization) or {}
        if chosen.get("backend") == "captions":
            raise serializers.ValidationError({"provider": ["meeting_captions cannot transcribe a recording"]})
        options = transcription_options_with_default(
            organization=organization, options=chosen, usable=tuple(ASR_BACKEND_CHOICES)
        )
        revision = meeting_retranscribe(
            meeting=bot.meeting,
            backend=options.get("backend"),
            model=options.get("model"),
            language=options.get("language"),
        )
        body = {"bot_id": bot.id, "transcript_id": transcript_id(bot), "revision": revision, "status": "processing"}
        return Response(body, status=status.HTTP_200_OK)
