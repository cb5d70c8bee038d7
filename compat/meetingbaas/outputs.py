"""Meeting BaaS's answers from Notula's bot, meeting, recordings and segments, in the shapes the SDK's
zod schemas export (`getMeetingDataResponse`, `botsWithMetadataResponse`): UUIDs, integer ids,
timestamps ending in Z, and every required key present (null where Notula has no value)."""

from bots.models import Bot
from common.media import media_link
from compat.meetingbaas.ids import number_for, uuid_for
from compat.times import iso_ms_z
from meetings.models import Recording
from meetings.selectors import meeting_segments, recording_mixed_latest


def recording_url(bot: Bot, kind: str, request=None) -> str:
    """A signed link to the meeting's latest recording of this kind; "" when there is none (as the vendor)."""
    recording = recording_mixed_latest(meeting=bot.meeting, kind=kind)
    return media_link(recording.file.name, request=request)[0] if recording else ""


def duration_s(bot: Bot) -> int | None:
    if bot.joined_at and bot.ended_at:
        return int((bot.ended_at - bot.joined_at).total_seconds())
    return None


def _words(segment, bot_number: int, *, key: str) -> list[dict]:
    """The segment's words; a segment transcribed without word times is one word spanning it."""
    words = segment.words or [{"word": segment.text, "start_ms": segment.start_ms, "end_ms": segment.end_ms}]
    rows = []
    for index, word in enumerate(words):
        start, end = word.get("start_ms", segment.start_ms) / 1000, word.get("end_ms", segment.end_ms) / 1000
        if key == "text":
            row = {"bot_id": bot_number, "id": number_for(f"{segment.id}.{index}"), "user_id": None}
            rows.append({**row, "text": word.get("word", ""), "start_time": start, "end_time": end})
        else:
            rows.append({"word": word.get("word", ""), "start": start, "end": end})
    return rows


def transcripts(bot: Bot) -> list[dict]:
    """`bot_data.transcripts`: one per segment, its words as `{text, start_time, end_time}`."""
    bot_number = number_for(bot.id)
    return [
        {
            "bot_id": bot_number,
            "id": number_for(segment.id),
            "speaker": segment.speaker or "Unknown",
            "start_time": segment.start_ms / 1000,
            "end_time": segment.end_ms / 1000,
            "lang": segment.language or None,
            "user_id": None,
            "words": _words(segment, bot_number, key="text"),
        }
        for segment in meeting_segments(meeting=bot.meeting)
    ]


def webhook_transcript(bot: Bot) -> list[dict]:
    """The `complete` webhook's transcript: its words as `{word, start, end}` (not meeting_data's shape)."""
    return [
        {
            "speaker": segment.speaker or "Unknown",
            "offset": segment.start_ms / 1000,
            "start_time": segment.start_ms / 1000,
            "end_time": segment.end_ms / 1000,
            "words": _words(segment, 0, key="word"),
        }
        for segment in meeting_segments(meeting=bot.meeting)
    ]


def speakers(bot: Bot) -> list[str]:
    """Who was in the meeting (Meeting BaaS knows participants only as speakers' names)."""
    return sorted({name for name in bot.meeting.participants.values_list("name", flat=True) if name})


def bot_row(bot: Bot) -> dict:
    """`bot_data.bot`: the bot with the parameters it was sent with."""
    leave = bot.settings.get("automatic_leave") or {}
    streaming = bot.settings.get("streaming") or {}
    return {
        "account_id": number_for(bot.organization_id),
        "bot_exited_at": iso_ms_z(bot.ended_at),
        "bot_image": bot.bot_image_url or None,
        "bot_joined_at": iso_ms_z(bot.joined_at),
        "bot_name": bot.bot_name,
        "bot_param_id": number_for(bot.id),
        "created_at": iso_ms_z(bot.created_at),
        "deduplication_key": bot.deduplication_key or None,
        "diarization_v2": False,
        "ended_at": iso_ms_z(bot.ended_at),
        "enter_message": bot.entry_message or None,
        "errors": bot.end_message or None,
        "event_id": None,
        "extra": bot.metadata,
        "id": number_for(bot.id),
        "meeting_url": bot.meeting_url,
        "mp4_s3_path": recording_url(bot, Recording.Kind.VIDEO),
        "noone_joined_timeout": leave.get("noone_joined_timeout"),
        "recording_mode": (bot.settings.get("recording") or {}).get("mode"),
        "reserved": False,
        "scheduled_bot_id": None,
        "session_id": None,
        "silence_timeout": leave.get("silence_timeout"),
        "speech_to_text_api_key": None,
        "speech_to_text_provider": "Default",
        "streaming_audio_frequency": "24khz" if streaming.get("input_sample_rate") == 24000 else "16khz",
        "streaming_input": streaming.get("audio_url"),
        "streaming_output": streaming.get("input"),
        "transcription_custom_parameters": {"language": (bot.settings.get("transcription") or {}).get("language")},
        "transcription_fails": None,
        "uuid": uuid_for(bot.id),
        "waiting_room_timeout": leave.get("waiting_room_timeout"),
        "webhook_url": bot.webhook_url,
        "zoom_access_token_url": None,
        "zoom_obf_token": None,
        "zoom_obf_token_url": None,
        "zoom_obf_token_user_id": bot.zoom_connection.zoom_user_id if bot.zoom_connection_id else None,
        "zoom_sdk_id": None,
        "zoom_sdk_pwd": None,
    }


def meeting_data(bot: Bot, *, include_transcripts: bool, request=None) -> dict:
    return {
        "audio": recording_url(bot, Recording.Kind.AUDIO, request),
        "mp4": recording_url(bot, Recording.Kind.VIDEO, request),
        "duration": duration_s(bot) or 0,
        "meeting_participants_file": "",
        "speaker_diarization_file": "",
        "speaker_diarization_file_network": "",
        "bot_data": {
            "event_uuid": None,
            "bot": bot_row(bot),
            "transcripts": transcripts(bot) if include_transcripts else [],
        },
    }


def listed(bot: Bot) -> dict:
    """One entry of `bots_with_metadata`."""
    return {
        "id": number_for(bot.id),
        "uuid": uuid_for(bot.id),
        "bot_name": bot.bot_name,
        "meeting_url": bot.meeting_url,
        "created_at": iso_ms_z(bot.created_at),
        "ended_at": iso_ms_z(bot.ended_at),
        "duration": duration_s(bot),
        "extra": bot.metadata,
        "speakers": speakers(bot),
        "access_count": None,
        "last_accessed_at": None,
        "session_id": None,
    }
