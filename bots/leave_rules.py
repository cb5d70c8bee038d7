"""Automatic leave rules, as a pure state machine: the runner feeds observations with a monotonic
clock and asks for a reason to leave. No I/O, no Django: every rule is unit-tested on numbers.

Rules (seconds; 0 or None turns a rule off), from `bot.settings["automatic_leave"]`:

- waiting_room_timeout: time in the lobby, counted from the request to join;
- noone_joined_timeout: time in the call without anybody else ever present;
- everyone_left_timeout: time alone after the last other participant left;
- silence_timeout: time without audio energy and without anyone flagged as speaking;
- max_duration: time in the call, counted from the admission.
"""

from dataclasses import dataclass

from bots.models import EndReason

# The longest any rule may be set to: a day. A longer meeting is rare enough to ask for max_duration 0 (off).
LEAVE_RULE_MAX_S = 24 * 3600


def _seconds(value) -> float | None:
    if value in (None, "", 0):
        return None
    seconds = float(value)
    return seconds if seconds > 0 else None


@dataclass(frozen=True)
class LeaveRules:
    waiting_room_timeout: float | None = 600
    noone_joined_timeout: float | None = 600
    everyone_left_timeout: float | None = 60
    silence_timeout: float | None = 1800
    max_duration: float | None = 4 * 3600

    @classmethod
    def from_settings(cls, automatic_leave: dict | None) -> "LeaveRules":
        values = automatic_leave or {}
        defaults = cls()
        return cls(
            **{
                name: _seconds(values[name]) if name in values else getattr(defaults, name)
                for name in cls.__dataclass_fields__
            }
        )


class AutoLeave:
    """Tracks one bot's call against its rules. Call `waiting`, then `admitted`, then `observe` each tick."""

    def __init__(self, rules: LeaveRules, *, now: float) -> None:
        self.rules = rules
        self.knocked_at = now
        self.admitted_at: float | None = None
        self.anyone_seen = False
        self.alone_since: float | None = None
        self.last_activity: float | None = None

    def waiting(self, *, now: float) -> str | None:
        """In the lobby: the reason to give up, if the wait is over."""
        limit = self.rules.waiting_room_timeout
        if limit is not None and now - self.knocked_at >= limit:
            return EndReason.WAITING_ROOM_TIMEOUT
        return None

    def admitted(self, *, now: float) -> None:
        self.admitted_at = now
        self.last_activity = now

    def observe(self, *, now: float, participants: int, active: bool) -> str | None:
        """In the call: `participants` others in the roster, `active` = audio energy or a speaker flag
        since the last tick. Returns the end reason of the first rule that fires, else None."""
        if self.admitted_at is None:
            self.admitted(now=now)
        assert self.admitted_at is not None
        rules = self.rules
        if active:
            self.last_activity = now
        if participants > 0:
            self.anyone_seen = True
            self.alone_since = None
        elif self.anyone_seen and self.alone_since is None:
            self.alone_since = now
        if rules.max_duration is not None and now - self.admitted_at >= rules.max_duration:
            return EndReason.MAX_DURATION
        if not self.anyone_seen:
            if rules.noone_joined_timeout is not None and now - self.admitted_at >= rules.noone_joined_timeout:
                return EndReason.NOONE_JOINED
        elif self.alone_since is not None:
            if rules.everyone_left_timeout is not None and now - self.alone_since >= rules.everyone_left_timeout:
                return EndReason.EVERYONE_LEFT
        last = self.last_activity if self.last_activity is not None else self.admitted_at
        if rules.silence_timeout is not None and now - last >= rules.silence_timeout:
            return EndReason.SILENCE
        return None
