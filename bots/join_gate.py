"""How many bots of this machine start a browser and join at once (NOTULA_BOT_JOINS_AT_ONCE).

Starting Chromium and loading a meeting's pre-join page take about a core for a few seconds. Twelve
bots sent to meetings at the top of the hour all doing it together on two cores starve each other
and the bots already in calls: pre-join screens then miss their timeouts (`join_step_failed`) and
live captions fall behind. With a gate the others wait their turn, a few seconds each, and every one
of them joins.

The slots are lock files taken with flock(2), so they hold across a worker's processes and threads
alike, and the kernel frees a slot when its holder dies.
"""

import fcntl
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)
POLL_S = 0.2


class JoinSlot:
    def __init__(self, fd: int | None, *, given_up: bool = False):
        self._fd = fd
        self.given_up = given_up  # `on_wait` said to stop waiting (the bot was asked to leave)

    def release(self) -> None:
        """Give the slot to the next bot; safe to call more than once."""
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops its lock
            self._fd = None


def join_slot_take(*, on_wait: Callable[[], bool | None] = lambda: None, every_s: float = 5.0) -> JoinSlot:
    """Wait for a free slot (calling `on_wait` every `every_s` while waiting) and hold it. When
    `on_wait` returns true the wait ends at once, without a slot (`given_up`).

    After BOT_JOIN_WAIT_MAX_S without one the bot goes ahead without a slot rather than not at all.
    """
    slots = settings.BOT_JOINS_AT_ONCE
    if slots <= 0:
        return JoinSlot(None)
    folder = Path(settings.BOT_JOIN_SLOTS_DIR)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("Joining without a turn: NOTULA_BOT_JOIN_SLOTS_DIR %s cannot be created (%s)", folder, exc)
        return JoinSlot(None)
    started = last_call = time.monotonic()
    while True:
        for index in range(slots):
            try:
                fd = os.open(folder / f"slot-{index}", os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                log.warning("Joining without a turn: %s cannot be opened (%s)", folder, exc)
                return JoinSlot(None)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return JoinSlot(fd)
        now = time.monotonic()
        if now - started >= settings.BOT_JOIN_WAIT_MAX_S:
            log.warning("No join slot free after %.0f s; joining without one", now - started)
            return JoinSlot(None)
        if now - last_call >= every_s:
            last_call = now
            if on_wait():
                return JoinSlot(None, given_up=True)
        time.sleep(POLL_S)
