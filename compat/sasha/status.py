"""Sasha's one status vocabulary for a meeting (joining, lobby, live, leaving, ended, error), from the
bot's status."""

STATUS_MAP = {
    "scheduled": "joining",
    "queued": "joining",
    "joining": "joining",
    "waiting_room": "lobby",
    "in_call": "live",
    "leaving": "leaving",
    "post_processing": "leaving",
    "ended": "ended",
    "failed": "error",
}

# What `GET /api/v1/meetings/status` lists: meetings not over yet.
ACTIVE = [status for status, word in STATUS_MAP.items() if word not in ("ended", "error")]


def sasha_status(bot_status: str) -> str:
    return STATUS_MAP.get(bot_status, bot_status)
