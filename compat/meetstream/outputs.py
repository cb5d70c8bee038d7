"""MeetStream's answers, from Notula's bot, meeting, participants, chat and segments."""

from bots.models import Bot
from compat.meetstream.detail import request_payload, status_timeline
from compat.meetstream.status import MESSAGES, meetstream_status
from compat.times import iso_ms_z
from meetings.chat import meeting_chat_messages
from meetings.selectors import meeting_segments


def transcript_id(bot: Bot) -> str:
    """The transcript of a bot is its meeting's: MeetStream's transcript id is Notula's meeting id."""
    return bot.meeting_id


def status_word(bot: Bot) -> str:
    return meetstream_status(bot.status, bot.end_reason)


def created(bot: Bot) -> dict:
    return {
        "bot_id": bot.id,
        "transcript_id": transcript_id(bot),
        "meeting_url": bot.meeting_url,
        "status": status_word(bot),
        "custom_attributes": bot.metadata,
    }


def status(bot: Bot) -> dict:
    word = status_word(bot)
    return {"bot_id": bot.id, "status": word, "message": MESSAGES.get(word, word)}


def _duration_s(bot: Bot) -> int | None:
    if bot.joined_at and bot.ended_at:
        return int((bot.ended_at - bot.joined_at).total_seconds())
    return None


def detail(bot: Bot) -> dict:
    meeting = bot.meeting
    return {
        "bot_details": {
            "BotID": bot.id,
            "MeetingLink": bot.meeting_url,
            "Status": status_word(bot),
            "Platform": bot.platform,
            "StartTime": iso_ms_z(bot.joined_at),
            "EndTime": iso_ms_z(bot.ended_at),
            "Duration": _duration_s(bot),
            "CreatedAt": iso_ms_z(bot.created_at),
            "BotUsername": bot.bot_name,
            "BotMessage": bot.entry_message,
            "BotImageURL": bot.bot_image_url,
            "TranscriptID": transcript_id(bot),
            "custom_attributes": bot.metadata,
            "caption_file": {"available": meeting.status == meeting.Status.COMPLETED},
            "StatusTimeline": status_timeline(bot),
            "RequestPayload": request_payload(bot),
        }
    }


def participants(bot: Bot) -> list[dict]:
    rows = []
    for person in bot.meeting.participants.all():
        present = person.joined_at is not None and person.left_at is None
        rows.append(
            {
                "deviceId": person.external_id,
                "displayName": person.name,
                "fullName": person.name,
                "profilePicture": None,
                # MeetStream's integers: 1 in the meeting, 2 left.
                "status": 1 if present else 2,
                "humanized_status": "in_meeting" if present else "left",
                "streamIds": [],
                "lastUpdated": iso_ms_z(person.left_at or person.joined_at or person.created_at),
            }
        )
    return rows


def chats(bot: Bot) -> list[dict]:
    return [
        {
            "sender": message.sender,
            "message": message.text,
            "timestamp": iso_ms_z(message.sent_at),
            "from_bot": message.from_bot,
        }
        for message in meeting_chat_messages(meeting=bot.meeting)
    ]


def transcript(bot: Bot) -> dict:
    return {
        "transcript_id": transcript_id(bot),
        "bot_id": bot.id,
        "segments": [
            {
                "speaker": segment.speaker or "Unknown",
                "transcript": segment.text,
                "start": segment.start_ms / 1000,
                "end": segment.end_ms / 1000,
            }
            for segment in meeting_segments(meeting=bot.meeting)
        ],
    }
