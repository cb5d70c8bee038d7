"""Turns successive roster snapshots into Participant rows, join/leave events and the speaker timeline.

Pages re-render: a tile can vanish for one poll, a speaking ring can flicker between words. A leave
or a speech stop is therefore confirmed only after a short grace, and dated at its first sighting.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from meetings import services as meeting_services
from meetings.models import Meeting, Participant
from meetings.timeline import SpeakerTimeline

LEAVE_GRACE_MS = 1500
STOP_GRACE_MS = 600


@dataclass
class _Pending:
    since_ms: int
    since_at: datetime


def _waited(pending: _Pending, at: datetime) -> float:
    # On the wall clock: the offsets stand still while the recording is paused (bots/pause.py).
    return (at - pending.since_at).total_seconds() * 1000


class RosterTracker:
    def __init__(self, *, meeting: Meeting, bot_id: str, timeline: SpeakerTimeline) -> None:
        self.meeting = meeting
        self.bot_id = bot_id
        self.timeline = timeline
        self.present: dict[str, Participant] = {}
        self.speaking: set[str] = set()
        self._leaving: dict[str, _Pending] = {}
        self._stopping: dict[str, _Pending] = {}

    def update(self, roster, *, at: datetime, offset_ms: int) -> bool:
        """Apply one snapshot's roster (entries with id, name, is_host, is_speaking).
        Returns True when the set of speakers changed."""
        seen = {entry.id: entry for entry in roster}
        for key, entry in seen.items():
            self._leaving.pop(key, None)
            if key not in self.present:
                self.present[key] = meeting_services.participant_joined(
                    meeting=self.meeting,
                    external_id=key,
                    name=entry.name,
                    is_host=entry.is_host,
                    occurred_at=at,
                    offset_ms=offset_ms,
                    bot_id=self.bot_id,
                )
        for key in list(self.present):
            if key in seen:
                continue
            pending = self._leaving.setdefault(key, _Pending(offset_ms, at))
            if _waited(pending, at) >= LEAVE_GRACE_MS:
                self._stop_speaking(key, pending)
                participant = self.present.pop(key)
                del self._leaving[key]
                meeting_services.participant_left(
                    participant=participant,
                    occurred_at=pending.since_at,
                    offset_ms=pending.since_ms,
                    bot_id=self.bot_id,
                )
        before = set(self.speaking)
        talking = {key for key, entry in seen.items() if entry.is_speaking}
        for key in talking:
            self._stopping.pop(key, None)
            if key not in self.speaking:
                self._start_speaking(key, at=at, offset_ms=offset_ms)
        for key in list(self.speaking - talking):
            pending = self._stopping.setdefault(key, _Pending(offset_ms, at))
            if _waited(pending, at) >= STOP_GRACE_MS:
                self._stop_speaking(key, pending)
        return self.speaking != before

    def _start_speaking(self, key: str, *, at: datetime, offset_ms: int) -> None:
        participant = self.present[key]
        self.speaking.add(key)
        self.timeline.start(participant.id, participant.name, offset_ms)
        meeting_services.participant_speech_changed(
            participant=participant, speaking=True, occurred_at=at, offset_ms=offset_ms, bot_id=self.bot_id
        )

    def _stop_speaking(self, key: str, pending: _Pending) -> None:
        self._stopping.pop(key, None)
        if key not in self.speaking:
            return
        self.speaking.discard(key)
        participant = self.present[key]
        self.timeline.stop(participant.id, pending.since_ms)
        meeting_services.participant_speech_changed(
            participant=participant,
            speaking=False,
            occurred_at=pending.since_at,
            offset_ms=pending.since_ms,
            bot_id=self.bot_id,
        )

    def close(self, *, at: datetime, offset_ms: int) -> None:
        """The bot left: whoever still speaks stops now (the people stay: they did not leave)."""
        for key in list(self.speaking):
            pending = self._stopping.get(key) or _Pending(offset_ms, at)
            self._stop_speaking(key, pending)
        self.timeline.stop_all(offset_ms)

    def speakers(self) -> list[dict]:
        """Everyone present with their speaking flag (the live audio stream's speaker frame)."""
        return [
            {"id": p.id, "name": p.name, "isSpeaking": key in self.speaking} for key, p in sorted(self.present.items())
        ]

    @property
    def count(self) -> int:
        return len(self.present)


def at_offset(start: datetime, offset_ms: int) -> datetime:
    return start + timedelta(milliseconds=offset_ms)
