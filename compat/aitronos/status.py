"""Aitronos' session vocabulary: initializing -> joining -> active -> recording -> leaving ->
completed | failed, from the bot's status (one vocabulary inside, mapped at the edge)."""

from bots.models import Bot

BY_BOT_STATUS = {
    "scheduled": "initializing",
    "queued": "initializing",
    "joining": "joining",
    "waiting_room": "joining",
    "in_call": "active",
    "leaving": "leaving",
    "post_processing": "leaving",
    "ended": "completed",
    "failed": "failed",
}
LIVE = ("initializing", "joining", "active", "recording")
TERMINAL = ("completed", "failed")
# Bot statuses behind each session status, for filters (refined by `session_status` afterwards).
BOT_STATUSES = {
    word: [s for s, w in BY_BOT_STATUS.items() if w == word or (word == "recording" and w == "active")]
    + (["ended"] if word == "failed" else [])
    + (["joining", "waiting_room", "in_call"] if word == "leaving" else [])
    for word in ("initializing", "joining", "active", "recording", "leaving", "completed", "failed")
}
# Why a bot ended without the meeting having been attended by request: still a completed session.
_COMPLETED_UNADMITTED = ("left_by_request",)


def session_status_of(
    *, status: str, recording_state: str, end_reason: str, joined: bool, leave_requested: bool
) -> str:
    word = BY_BOT_STATUS.get(status, status)
    if word == "active" and recording_state == "recording":
        word = "recording"
    if word in ("joining", "active", "recording") and leave_requested:
        return "leaving"  # asked to stop; the bot is on its way out
    if word == "completed" and not joined and end_reason not in _COMPLETED_UNADMITTED:
        return "failed"  # never admitted: it must not look like a session that recorded the meeting
    return word


def session_status(bot: Bot) -> str:
    return session_status_of(
        status=bot.status,
        recording_state=bot.recording_state,
        end_reason=bot.end_reason,
        joined=bot.joined_at is not None,
        leave_requested=bot.leave_requested_at is not None,
    )


def error_of(bot: Bot) -> tuple[str | None, str | None]:
    """(error_message, error_code) of a failed session."""
    if session_status(bot) != "failed":
        return None, None
    return (bot.end_message or bot.end_reason.replace("_", " ") or "failed"), (bot.end_reason or "failed")
