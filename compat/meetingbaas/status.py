"""Meeting BaaS's words for Notula's bot lifecycle: `bot.status_change` codes (vendor docs: joining_call,
in_waiting_room, in_call_not_recording, in_call_recording, recording_paused, recording_resumed,
call_ended, bot_rejected, bot_removed, waiting_room_timeout, invalid_meeting_url, meeting_error) and the
`error` of a `failed` webhook."""

from bots.models import BotStatus, RecordingState

# An ending whose reason Meeting BaaS names apart; every other ending is `call_ended`.
ENDING_CODES = {
    "admission_denied": "bot_rejected",
    "removed_by_host": "bot_removed",
    "waiting_room_timeout": "waiting_room_timeout",
    "invalid_meeting_url": "invalid_meeting_url",
}
OVER = (BotStatus.LEAVING, BotStatus.POST_PROCESSING, BotStatus.ENDED)

# A failed bot's end_reason -> the `failed` webhook's `error`.
FAILED_ERRORS = {
    "meeting_not_found": "meeting_not_found",
    "invalid_meeting_url": "meeting_not_found",
    "admission_denied": "access_denied",
    "waiting_room_timeout": "access_denied",
    "removed_by_host": "access_denied",
    "platform_blocked": "access_denied",
    "login_required": "authentication_error",
}


def status_code(*, new: str, old: str, recording_state: str, end_reason: str | None) -> str:
    """The `bot.status_change` code of one of Notula's status changes."""
    if new in (BotStatus.SCHEDULED, BotStatus.QUEUED, BotStatus.JOINING):
        return "joining_call"
    if new == BotStatus.WAITING_ROOM:
        return "in_waiting_room"
    if new == BotStatus.IN_CALL:
        if recording_state == RecordingState.PAUSED:
            return "recording_paused"
        if recording_state == RecordingState.RECORDING:
            return "recording_resumed" if old == BotStatus.IN_CALL else "in_call_recording"
        return "in_call_not_recording"
    if new == BotStatus.FAILED:
        return ENDING_CODES.get(end_reason or "", "meeting_error")
    return ENDING_CODES.get(end_reason or "", "call_ended")


def failed_error(end_reason: str | None) -> str:
    return FAILED_ERRORS.get(end_reason or "", "internal_error")
