"""Sasha's meeting ids, `meeting_<ms>_<rand>`: the meeting's creation time in milliseconds and the
random part of Notula's meeting id, so each maps to one meeting, stably and both ways."""

import re
from functools import lru_cache

from compat.ids import notula_id, random_part
from meetings.models import Meeting

_SHAPE = re.compile(r"^meeting_(\d{1,16})_(.+)$")


def sasha_meeting_id(meeting: Meeting) -> str:
    return f"meeting_{int(meeting.created_at.timestamp() * 1000)}_{random_part(meeting.id)}"


@lru_cache(maxsize=4096)
def sasha_meeting_id_for(meeting_id: str) -> str:
    """For a callback, which carries only Notula's meeting id (a meeting's creation time never changes)."""
    created_at = Meeting.objects.values_list("created_at", flat=True).get(pk=meeting_id)
    return f"meeting_{int(created_at.timestamp() * 1000)}_{random_part(meeting_id)}"


def meeting_id_from(sasha_id: str) -> str:
    """Notula's meeting id; NotFound for anything not shaped like a Sasha meeting id."""
    match = _SHAPE.match(sasha_id)
    return notula_id("mtg", match.group(2) if match else "", shown_as=sasha_id)
