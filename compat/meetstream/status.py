"""MeetStream's bot statuses (Joining, InWaitingRoom, InMeeting, Stopped, ...) and callback events
(`bot.joining`, ...), from Notula's bot status."""

from bots.models import BotStatus

STATUS_MAP = {
    BotStatus.SCHEDULED: "Joining",
    BotStatus.QUEUED: "Joining",
    BotStatus.JOINING: "Joining",
    BotStatus.WAITING_ROOM: "InWaitingRoom",
    BotStatus.IN_CALL: "InMeeting",
    BotStatus.LEAVING: "Leaving",
    BotStatus.POST_PROCESSING: "Stopped",
    BotStatus.ENDED: "Stopped",
    BotStatus.FAILED: "Error",
}

# A bot refused by the meeting ends with one of these reasons: MeetStream names them apart.
REFUSALS = {
    "admission_denied": "Denied",
    "waiting_room_timeout": "NotAllowed",
    "recording_permission_denied": "Denied",
}

EVENTS = {
    "Joining": "bot.joining",
    "InWaitingRoom": "bot.in_waiting_room",
    "InMeeting": "bot.inmeeting",
    "Leaving": "bot.leaving",
    "Stopped": "bot.stopped",
    "Denied": "bot.stopped",
    "NotAllowed": "bot.stopped",
    "Error": "bot.stopped",
}

# The seed's (legacy) HTTP-style status code of each status.
STATUS_CODES = {"Joining": 102, "InWaitingRoom": 102, "InMeeting": 200, "Leaving": 200, "Stopped": 200}

MESSAGES = {
    "Joining": "Bot is joining the meeting",
    "InWaitingRoom": "Bot is in the waiting room",
    "InMeeting": "Bot is in the meeting",
    "Leaving": "Bot is leaving the meeting",
    "Stopped": "Bot has left the meeting",
    "Denied": "Bot was denied entry to the meeting",
    "NotAllowed": "Bot was not let into the meeting",
    "Error": "Bot ended with an error",
}


def meetstream_status(status: str, end_reason: str | None = "") -> str:
    if status in (BotStatus.ENDED, BotStatus.FAILED) and end_reason in REFUSALS:
        return REFUSALS[end_reason]
    return STATUS_MAP.get(status, status)
