"""Meemo's answers, from Notula's meeting, its bot, participants, segments and recordings."""

from bots.models import Bot
from common.media import media_link
from compat.meemo import status
from compat.meemo.ids import meemo_id
from compat.times import iso_ms_z
from meetings.models import Meeting, Recording
from meetings.selectors import meeting_segments, recordings_mixed

MIME_TYPES = {"mp3": "audio/mpeg", "wav": "audio/wav", "flac": "audio/flac", "opus": "audio/ogg", "mp4": "video/mp4"}


def latest_bot(meeting: Meeting) -> Bot | None:
    """The bot sent to the meeting (the latest, when there were several); None for a file import."""
    bots = sorted(meeting.bots.all(), key=lambda bot: bot.created_at)
    return bots[-1] if bots else None


def meemo_fields(bot: Bot | None) -> dict:
    """What a Meemo create carried that Notula keeps with the bot (compat/meemo/create.py)."""
    return (bot.metadata.get("meemo") or {}) if bot is not None else {}


def _times(meeting: Meeting, bot: Bot | None) -> tuple[str, str | None, int | None]:
    """(start_time, end_time, duration_seconds): when the bot joined and left (or the recording's span);
    before it joins, the time the meeting was planned for."""
    started = (bot.joined_at if bot else None) or meeting.started_at
    ended = (bot.ended_at if bot and bot.joined_at else None) or meeting.ended_at
    duration = int((ended - started).total_seconds()) if started and ended else None
    if bot is None and duration is None:
        duration = _recorded_seconds(meeting) or None
    planned = meemo_fields(bot).get("start_time") or iso_ms_z((bot.join_at if bot else None) or meeting.created_at)
    return (iso_ms_z(started) if started else planned), (iso_ms_z(ended) if started and ended else None), duration


def _recorded_seconds(meeting: Meeting) -> int:
    return max((r.duration_ms for r in recordings_mixed(meeting=meeting)), default=0) // 1000


def _stages(meeting: Meeting, bot: Bot | None) -> dict:
    return {
        "recording": status.recording_stage(meeting, bot),
        "transcription": status.transcription_stage(meeting, bot),
        "summarization": status.summarization_stage(meeting, bot),
    }


def _bot_language(bot: Bot | None) -> str:
    """The language the bot was asked to transcribe in, before the transcript says which it was ("" to detect)."""
    return ((bot.settings.get("transcription") or {}).get("language") or "") if bot is not None else ""


def _summary_complete(meeting: Meeting) -> bool:
    return meeting.status == Meeting.Status.COMPLETED


def list_item(meeting: Meeting) -> dict:
    bot = latest_bot(meeting)
    start, end, _ = _times(meeting, bot)
    return {
        "id": meemo_id(meeting.id),
        "title": meeting.title,
        "start_time": start,
        "end_time": end,
        "created_at": iso_ms_z(meeting.created_at),
        "status": status.meeting_status(meeting, bot),
        "summary_complete": _summary_complete(meeting),
        "host_name": meeting.organization.name,
        **_stages(meeting, bot),
        "calendar_event": meemo_fields(bot).get("calendar_event"),
    }


def detail(meeting: Meeting) -> dict:
    bot = latest_bot(meeting)
    start, end, duration = _times(meeting, bot)
    organization = meeting.organization
    fields = meemo_fields(bot)
    return {
        "id": meemo_id(meeting.id),
        "title": meeting.title,
        "start_time": start,
        "end_time": end,
        "created_at": iso_ms_z(meeting.created_at),
        "location": meeting.meeting_url,
        "status": status.meeting_status(meeting, bot),
        "summary_complete": _summary_complete(meeting),
        "host": {"id": meemo_id(organization.id), "name": organization.name, "email": ""},
        **_stages(meeting, bot),
        "language": meeting.language or _bot_language(bot),
        "keywords": meeting.keywords,
        "participant_count": meeting.participants.count(),
        "duration_seconds": duration,
        "num_cluster": fields.get("speaker_count") or len({s.speaker for s in meeting_segments(meeting=meeting)}),
        "calendar_event": fields.get("calendar_event"),
    }


def participants(meeting: Meeting) -> dict:
    rows = [
        {"name": person.name, "id": meemo_id(person.id), "email": None, "position": "", "department": ""}
        for person in meeting.participants.all()
    ]
    # Invited by email on create and not (yet) seen in the call by that name: listed with their email.
    seen = {row["name"] for row in rows}
    for email in meemo_fields(latest_bot(meeting)).get("participants") or []:
        if email not in seen:
            rows.append({"name": email, "id": None, "email": email, "position": "", "department": ""})
    head = {"meeting_id": meemo_id(meeting.id), "title": meeting.title}
    return {**head, "total_participants": len(rows), "participants": rows}


def transcript(meeting: Meeting) -> dict:
    rows = [
        {"speaker": s.speaker or "Unknown", "text": s.text, "start_time": s.start_ms / 1e3, "end_time": s.end_ms / 1e3}
        for s in meeting_segments(meeting=meeting)
    ]
    head = {"meeting_id": meemo_id(meeting.id), "title": meeting.title}
    return {**head, "total_segments": len(rows), "transcripts": rows}


def summary(meeting: Meeting) -> dict:
    return {
        "meeting_id": meemo_id(meeting.id),
        "title": meeting.title,
        "summary": meeting.summary or None,
        "notes": meeting.notes,
        "keywords": meeting.keywords,
    }


def _asset(recording: Recording, request) -> dict:
    url, _ = media_link(recording.file.name, request=request)
    return {
        "media_kind": recording.kind,
        "url": url,
        "mime_type": MIME_TYPES.get(recording.format, "application/octet-stream"),
        "format": recording.format,
    }


def recording(meeting: Meeting, request) -> dict:
    recordings = list(recordings_mixed(meeting=meeting))
    assets = [_asset(r, request) for r in recordings]
    audio = next((a for a in assets if a["media_kind"] == "audio"), assets[0] if assets else None)
    video = next((a for a in assets if a["media_kind"] == "video"), None)
    return {
        "meeting_id": meemo_id(meeting.id),
        "title": meeting.title,
        "duration": max((r.duration_ms for r in recordings), default=0) / 1000,
        "assets": assets,
        "recording_url": audio["url"] if audio else None,
        "format": audio["format"] if audio else "",
        "video_url": video["url"] if video else None,
        "video_format": video["format"] if video else "",
    }


def summary_with_video(meeting: Meeting, request) -> dict:
    """Notula's summary has no video citations: the Markdown summary, and the video when there is one."""
    media = recording(meeting, request)
    return {
        "meeting_id": meemo_id(meeting.id),
        "title": meeting.title,
        "record_id": None,
        "summary_markdown": meeting.summary or None,
        "placeholder_message_markdown": meeting.summary,
        "inline_message_markdown": meeting.summary,
        "video_id": "",
        "media_mapping": {},
        "citations": [],
        "video_url": media["video_url"],
    }
