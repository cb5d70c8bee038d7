"""Sasha's answers, from Notula's bot, meeting and segments."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings

from bots.models import Bot
from compat.sasha.ids import sasha_meeting_id
from compat.sasha.status import sasha_status
from compat.times import iso_ms_z
from meetings.models import Meeting
from meetings.selectors import meeting_segments
from meetings.transcripts import document_path


def saves_document(bot: Bot) -> bool:
    return bool((bot.settings.get("transcription") or {}).get("save_document", True))


def document_file(bot: Bot) -> Path | None:
    """The saved Markdown document of the bot's meeting, if it was asked for and is saved by now."""
    if not saves_document(bot):
        return None
    path = Path(settings.MEDIA_ROOT) / document_path(bot.meeting)
    return path if path.is_file() else None


def _project_fields(bot: Bot) -> dict:
    fields = {"project": bot.project.name}
    if saves_document(bot):
        fields["documentPath"] = document_path(bot.meeting).as_posix()
    return fields


def started(bot: Bot) -> dict:
    return {
        "meetingId": sasha_meeting_id(bot.meeting),
        "status": sasha_status(bot.status),
        "platform": bot.platform,
        **_project_fields(bot),
    }


def status_row(bot: Bot) -> dict:
    meeting = bot.meeting
    return {
        "meetingId": sasha_meeting_id(meeting),
        "status": sasha_status(bot.status),
        "platform": bot.platform,
        "title": meeting.title,
        "startedAt": iso_ms_z(bot.joined_at or meeting.started_at or bot.created_at),
        "participantCount": meeting.participants.filter(joined_at__isnull=False, left_at__isnull=True).count(),
        "segmentCount": meeting_segments(meeting=meeting).count(),
        **_project_fields(bot),
    }


def _segment_time(meeting: Meeting, segment) -> str | None:
    if segment.started_at:
        return iso_ms_z(segment.started_at)
    origin = meeting.started_at or meeting.created_at
    return iso_ms_z(origin + timedelta(milliseconds=segment.start_ms))


def transcript(bot: Bot) -> dict:
    meeting = bot.meeting
    return {
        "meetingId": sasha_meeting_id(meeting),
        "status": sasha_status(bot.status),
        **_project_fields(bot),
        "segments": [
            {"speaker": s.speaker or "Unknown", "text": s.text, "timestamp": _segment_time(meeting, s)}
            for s in meeting_segments(meeting=meeting)
        ],
    }


def project_meeting(bot: Bot) -> dict:
    return {**status_row(bot), "endedAt": iso_ms_z(bot.meeting.ended_at)}
