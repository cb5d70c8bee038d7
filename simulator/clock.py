"""The meeting clock and who is present: pure functions of a SimMeeting and a time."""

from datetime import datetime

from simulator.models import SimMeeting


def clock_s(meeting: SimMeeting, now: datetime) -> float | None:
    """Seconds since the bot was admitted (t=0), frozen when the meeting ended; None before admission."""
    if meeting.admitted_at is None:
        return None
    until = min(now, meeting.ended_at) if meeting.ended_at else now
    return max(0.0, (until - meeting.admitted_at).total_seconds())


def is_present(person: dict, t: float | None) -> bool:
    """Present at t; before the bot is admitted, whoever is there at t=0."""
    t = 0.0 if t is None else t
    left = person.get("leaves_at_s")
    return person["joins_at_s"] <= t and (left is None or t < left)


def present_people(meeting: SimMeeting, t: float | None) -> list[dict]:
    return [p for p in meeting.people if is_present(p, t)]


def find_person(meeting: SimMeeting, name: str, t: float | None, *, present: bool = True) -> dict | None:
    """The participant called `name` (the one present now when several came and went)."""
    matches = [p for p in meeting.people if p["name"] == name]
    if present:
        matches = [p for p in matches if is_present(p, t) or p["joins_at_s"] > (t or 0.0)]
    return matches[-1] if matches else None
