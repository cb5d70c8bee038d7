"""Pausing the recording: `POST /api/v1/bots/{id}/pause_recording` and `.../resume_recording`.

The API sends a command; the runner pauses within a tick and publishes the change (bot.status_changed
with `recording_state` `paused` / `recording`). While paused, nothing reaches the recording, the live
transcriber or the screen video: the recorded clock stops, so the files hold the recorded time only
and a paused stretch is a cut, listed in the recordings' `gaps`.
"""

import time

from django.utils import timezone

from bots.commands import Command, bot_command_send
from bots.models import Bot, BotStatus, RecordingState
from bots.states import bot_apply_event
from common.errors import Conflict

PAUSE, RESUME = "pause_recording", "resume_recording"


def _request(bot: Bot, kind: str, *, from_state: str) -> dict:
    bot.refresh_from_db(fields=["status", "recording_state"])
    if bot.status != BotStatus.IN_CALL:
        raise Conflict(
            f"Bot {bot.id} is '{bot.status}': only a bot in a call records.", code="bot_not_in_call", status=bot.status
        )
    if bot.recording_state != from_state:
        raise Conflict(
            f"Bot {bot.id}'s recording is '{bot.recording_state}', not '{from_state}'.",
            code="recording_state_conflict",
            recording_state=bot.recording_state,
        )
    command = bot_command_send(bot=bot, kind=kind)
    return {"command_id": command.id, "recording_state": bot.recording_state}


def bot_pause_recording(*, bot: Bot) -> dict:
    return _request(bot, PAUSE, from_state=RecordingState.RECORDING)


def bot_resume_recording(*, bot: Bot) -> dict:
    return _request(bot, RESUME, from_state=RecordingState.PAUSED)


class RecordingPause:
    """The runner's pause state. Offsets of what is kept move back by what was paused: the audio by
    paused samples (the capture's clock), everything timed by the wall clock by paused milliseconds."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.paused = False
        self.paused_samples = 0
        self.paused_ms = 0
        self.gaps: list[dict] = []
        self._since_sample = 0
        self._since = 0.0
        self._since_wall = ""
        self._recorded_at_pause = 0

    def handle(self, command: Command, *, sample: int, recorded_ms: int) -> bool:
        """Take pause_recording / resume_recording; `sample` is the capture's clock now, `recorded_ms`
        the recording's length so far (where the cut falls). False for any other command."""
        if command.kind == PAUSE and not self.paused:
            self.paused, self._since_sample, self._since = True, sample, time.monotonic()
            self._since_wall = timezone.now().isoformat().replace("+00:00", "Z")
            self._recorded_at_pause = recorded_ms
            bot_apply_event(self.bot, "recording_changed", recording_state=RecordingState.PAUSED)
            return True
        if command.kind == RESUME and self.paused:
            self._end_gap(sample)
            bot_apply_event(self.bot, "recording_changed", recording_state=RecordingState.RECORDING)
            return True
        return command.kind in (PAUSE, RESUME)  # a repeat: nothing to do

    def _end_gap(self, sample: int) -> None:
        self.paused = False
        self.paused_samples += max(0, sample - self._since_sample)
        length = int((time.monotonic() - self._since) * 1000)
        self.paused_ms += length
        resumed_at = timezone.now().isoformat().replace("+00:00", "Z")
        self.gaps.append(
            {"offset_ms": self._recorded_at_pause, "paused_ms": length, "paused_at": self._since_wall,
             "resumed_at": resumed_at}
        )  # fmt: skip

    def close(self, *, sample: int) -> None:
        """The call ended while paused: the open gap runs to the end (no state change: the bot is leaving)."""
        if self.paused:
            self._end_gap(sample)

    def wall_offset_ms(self, raw_ms: int) -> int:
        """A wall-clock offset into the call on the recorded clock (a paused stretch counts as its start)."""
        paused_now = int((time.monotonic() - self._since) * 1000) if self.paused else 0
        return max(0, raw_ms - self.paused_ms - paused_now)
