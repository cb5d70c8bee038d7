"""Aitronos' answers: the Session object (every key seed 002 lists), transcripts, active sessions."""

import posixpath

from django.db.models import Sum
from django.utils import timezone

from bots.models import Bot
from compat.aitronos.ids import session_id, transcript_id
from compat.aitronos.status import error_of, session_status
from compat.times import iso_ms_z
from meetings.models import ParticipantEvent
from meetings.selectors import meeting_segments, recordings_mixed

# Analytics spells Google Meet `meet`; the Session object `google_meet` (both as seed 002 shows).
ANALYTICS_PLATFORM = {"google_meet": "meet"}


def _present(bot: Bot) -> list:
    return list(bot.meeting.participants.filter(joined_at__isnull=False, left_at__isnull=True).order_by("joined_at"))


def _history(bot: Bot) -> list[dict]:
    events = ParticipantEvent.objects.filter(
        meeting=bot.meeting, kind__in=[ParticipantEvent.Kind.JOIN, ParticipantEvent.Kind.LEAVE]
    ).select_related("participant")
    return [
        {
            "participant_id": e.participant_id,
            "participant_name": e.participant.name,
            "event": "joined" if e.kind == ParticipantEvent.Kind.JOIN else "left",
            "timestamp": iso_ms_z(e.occurred_at),
        }
        for e in events
    ]


def _files(bot: Bot) -> dict:
    recordings = recordings_mixed(meeting=bot.meeting)
    if not recordings:
        return dict.fromkeys(
            ("segment_count", "audio_file_count", "video_file_count", "total_size_bytes", "output_directory")
        )
    return {
        # One file per format: each file is a "recording segment" of the session.
        "segment_count": len(recordings),
        "audio_file_count": sum(1 for r in recordings if r.kind == "audio"),
        "video_file_count": sum(1 for r in recordings if r.kind == "video"),
        "total_size_bytes": recordings.aggregate(total=Sum("size_bytes"))["total"] or 0,
        "output_directory": posixpath.dirname(recordings[0].file.name),
    }


def _duration(bot: Bot) -> float | None:
    if bot.joined_at is None:
        return None
    return round(((bot.ended_at or timezone.now()) - bot.joined_at).total_seconds(), 3)


def session(bot: Bot) -> dict:
    transcription = bot.settings.get("transcription") or {}
    error_message, error_code = error_of(bot)
    finished = bot.status in ("ended", "failed")
    return {
        "session_id": session_id(bot.id),
        "organization_id": bot.organization_id,
        "user_id": bot.api_key_id,
        "meeting_link": bot.meeting_url,
        "platform": bot.platform,
        "bot_name": bot.bot_name,
        "status": session_status(bot),
        "transcription_enabled": bool(transcription.get("enabled", True)),
        "transcription_language": transcription.get("language") or "en",
        "debug_mode": False,
        "created_at": iso_ms_z(bot.created_at),
        "updated_at": iso_ms_z(bot.updated_at),
        "join_timestamp": iso_ms_z(bot.joined_at),
        "leave_timestamp": iso_ms_z(bot.ended_at) if finished else None,
        "total_duration_seconds": _duration(bot) if finished else None,
        **_files(bot),
        "error_message": error_message,
        "error_code": error_code,
        "metadata": bot.metadata,
        "current_participants": {
            p.id: {"name": p.name, "joined_at": iso_ms_z(p.joined_at), "is_host": p.is_host} for p in _present(bot)
        },
        "participant_history": _history(bot),
    }


def transcripts(bot: Bot) -> list[dict]:
    if bot.status in ("scheduled", "queued"):
        return []
    return [
        {
            "transcript_id": transcript_id(s.id),
            "text": s.text,
            "confidence": s.confidence,
            "start_time": s.start_ms / 1000,
            "end_time": s.end_ms / 1000,
            "speaker": s.speaker or None,
            "language_code": s.language or (bot.settings.get("transcription") or {}).get("language") or None,
            "created_at": iso_ms_z(s.created_at),
        }
        for s in meeting_segments(meeting=bot.meeting)
    ]


def active(bot: Bot) -> dict:
    return {
        "session_id": session_id(bot.id),
        "meeting_link": bot.meeting_url,
        "platform": ANALYTICS_PLATFORM.get(bot.platform, bot.platform),
        "status": session_status(bot),
        "bot_name": bot.bot_name,
        "join_timestamp": iso_ms_z(bot.joined_at),
        "current_participants": [p.name for p in _present(bot)],
        "duration_so_far_seconds": _duration(bot) or 0,
    }
