"""Sasha's meeting ids, `meeting_<ms>_<rand>`: the meeting's creation time in milliseconds and the
random part of Notula's meeting id, so each maps to one meeting, stably and both ways."""

import re
import time
from functools import lru_cache

from compat.ids import notula_id, random_part
from meetings.models import Meeting

_SHAPE = re.compile(r"^meeting_(\d{1,16})_(.+)$")


def sasha_meeting_id(meeting: Meeting) -> str:
    return f"meeting_{int(meeting.created_at.timestamp() * 1000)}_{random_part(meeting.id)}"


@lru_cache(maxsize=4096)
def _created_ms(meeting_id: str) -> int:
    # A meeting's creation time never changes; a missing meeting raises, and is not cached.
    return int(Meeting.objects.values_list("created_at", flat=True).get(pk=meeting_id).timestamp() * 1000)


def sasha_meeting_id_for(meeting_id: str) -> str:
    """For a callback, which carries only Notula's meeting id. A test event (POST /webhooks/{id}/test)
    names no stored meeting: it gets the time of now."""
    try:
        millis = _created_ms(meeting_id)
    except Meeting.DoesNotExist:
        millis = int(time.time() * 1000)
    return f"meeting_{millis}_{random_part(meeting_id)}"


def meeting_id_from(sasha_id: str) -> str:
    """Notula's meeting id; NotFound for anything not shaped like a Sasha meeting id."""
    match = _SHAPE.match(sasha_id)
    return notula_id("mtg", match.group(2) if match else "", shown_as=sasha_id)
