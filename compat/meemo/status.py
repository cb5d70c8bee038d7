"""Meemo's words for where a meeting stands (vendor-clients.md §4): the meeting's `status` (upcoming,
ongoing, recording, past) from its bot, and the three stages' `pending|in_progress|completed|failed`
from the bot and the meeting's transcript. A file import has no call: it is `past` from the start."""

from django.db.models import Exists, OuterRef, Q

from bots.models import Bot, BotStatus
from meetings.models import Meeting

# The bot's status -> the meeting's, for a meeting a bot was sent to.
BOT_MEETING_STATUS = {
    BotStatus.SCHEDULED: "upcoming",
    BotStatus.QUEUED: "ongoing",
    BotStatus.JOINING: "ongoing",
    BotStatus.WAITING_ROOM: "ongoing",
    BotStatus.IN_CALL: "recording",
    BotStatus.LEAVING: "recording",
    BotStatus.POST_PROCESSING: "past",
    BotStatus.ENDED: "past",
    BotStatus.FAILED: "past",
}
STATUSES = ("upcoming", "ongoing", "recording", "past")
BEFORE_CALL = (BotStatus.SCHEDULED, BotStatus.QUEUED, BotStatus.JOINING, BotStatus.WAITING_ROOM)
IN_CALL = (BotStatus.IN_CALL, BotStatus.LEAVING)
TRANSCRIPT_STAGE = {
    Meeting.Status.PENDING: "pending",
    Meeting.Status.PROCESSING: "in_progress",
    Meeting.Status.COMPLETED: "completed",
    Meeting.Status.FAILED: "failed",
}


def meeting_status(meeting: Meeting, bot: Bot | None) -> str:
    return BOT_MEETING_STATUS[bot.status] if bot is not None else "past"


def status_filter(status: str) -> Q:
    """The meetings in Meemo's `status`, as a query on meetings."""
    bot_statuses = [bot_status for bot_status, word in BOT_MEETING_STATUS.items() if word == status]
    has_bot = Exists(Bot.objects.filter(meeting_id=OuterRef("pk"), status__in=bot_statuses))
    return has_bot | Q(source=Meeting.Source.FILE) if status == "past" else Q(has_bot)


def _stage(status: str, description: str) -> dict:
    return {"status": status, "description": description}


def recording_stage(meeting: Meeting, bot: Bot | None) -> dict:
    if bot is None:
        done = meeting.status != Meeting.Status.FAILED
        return _stage("completed" if done else "failed", "Imported from a file." if done else meeting.failure_reason)
    if bot.status in BEFORE_CALL:
        return _stage("pending", "Bot is in the waiting room." if bot.status == BotStatus.WAITING_ROOM else "")
    if bot.status in IN_CALL:
        return _stage("in_progress", "Bot is recording the call.")
    if bot.status == BotStatus.FAILED and bot.joined_at is None:
        return _stage("failed", bot.end_reason.replace("_", " "))
    return _stage("completed", "")


def transcription_stage(meeting: Meeting, bot: Bot | None) -> dict:
    if bot is not None and bot.status in IN_CALL and meeting.status == Meeting.Status.PENDING:
        return _stage("in_progress", "Transcribing live.")
    if bot is not None and bot.status == BotStatus.FAILED and meeting.status == Meeting.Status.PENDING:
        return _stage("failed", bot.end_reason.replace("_", " "))
    word = TRANSCRIPT_STAGE[Meeting.Status(meeting.status)]
    return _stage(word, meeting.failure_reason if word == "failed" else "")


def summarization_stage(meeting: Meeting, bot: Bot | None) -> dict:
    transcription = transcription_stage(meeting, bot)["status"]
    if transcription == "completed":
        return _stage("completed", "")
    return _stage("failed" if transcription == "failed" else "pending", "")
