"""The runner's end of `speak`: utterances queue in the order their commands came and play one after
another through the bot's microphone (bots/microphone.py).

Audio goes to the page a second at a time, a little ahead of playback, so that `stop_speaking` silences
the bot at once and a long file never sits whole in the page. The platform's microphone is unmuted for
an utterance and muted again after it, as a person would: a bot that is not speaking sends nothing.
"""

import logging
import time
from collections import deque
from pathlib import Path

from bots import lifecycle, microphone
from bots.commands import Command
from bots.models import Bot
from bots.speech import BYTES_PER_S, speech_directory
from meetings.events import EventType, publish

log = logging.getLogger(__name__)

CHUNK_S = 1.0
# How far ahead of playback the page is kept fed: more than the longest tick seen (a tick that waits on
# live transcription under load), so the voice never starves. `stop_speaking` still cuts at once.
LEAD_MS = 4000


class Speaker:
    def __init__(self, bot: Bot, driver, adapter) -> None:
        self.bot = bot
        self.driver = driver
        self.adapter = adapter
        self.queue: deque[dict] = deque()
        self.current: dict | None = None
        self._file = None
        self._started = 0.0
        self._exhausted = False
        self._always_on = False  # live audio in (bots/audio_in.py) keeps the microphone open

    @property
    def speaking(self) -> bool:
        return self.current is not None

    def handle(self, command: Command) -> bool:
        """Take `speak` / `stop_speaking`; False for any other command."""
        if command.kind == "speak":
            self.queue.append(command.payload)
            return True
        if command.kind == "stop_speaking":
            self.stop()
            return True
        return False

    def keep_microphone_on(self) -> None:
        if not self._always_on and self.current is None:
            self._microphone(True)
        self._always_on = True

    def stop(self) -> None:
        dropped = list(self.queue)
        self.queue.clear()
        if self.current is not None:
            microphone.stop(self.driver)
            self._finish(stopped=True)
        for payload in dropped:
            (speech_directory(self.bot) / payload["file"]).unlink(missing_ok=True)

    def tick(self) -> None:
        """Start the next utterance, keep the page fed, finish the one whose audio has played."""
        if self.current is None:
            if not self.queue:
                return
            self._start(self.queue.popleft())
            if self.current is None:
                return
        queued_ms = microphone.queued_ms(self.driver)
        while not self._exhausted and queued_ms < LEAD_MS:
            chunk = self._file.read(int(CHUNK_S * BYTES_PER_S))
            if not chunk:
                self._exhausted = True
                break
            queued_ms = microphone.push(self.driver, chunk, self.current["rate"])
        if self._exhausted and queued_ms <= 0:
            self._finish(stopped=False)

    def _start(self, payload: dict) -> None:
        path: Path = speech_directory(self.bot) / payload["file"]
        try:
            self._file = path.open("rb")
        except OSError:
            log.warning("Bot %s: speech %s has no audio file", self.bot.id, payload["speech_id"])
            return
        self.current, self._exhausted, self._started = payload, False, time.monotonic()
        self._microphone(True)
        self._publish(EventType.BOT_SPEECH_STARTED, payload, {"duration_ms": payload["duration_ms"]})

    def _finish(self, *, stopped: bool) -> None:
        payload = self.current or {}
        self.current = None
        if self._file is not None:
            self._file.close()
            Path(self._file.name).unlink(missing_ok=True)
            self._file = None
        if not self.queue and not self._always_on:
            self._microphone(False)
        played_ms = int((time.monotonic() - self._started) * 1000)
        self._publish(EventType.BOT_SPEECH_FINISHED, payload, {"stopped": stopped, "played_ms": played_ms})

    def _microphone(self, on: bool) -> None:
        try:
            self.adapter.set_microphone(on)
        except Exception:
            log.warning("Bot %s could not turn its microphone %s", self.bot.id, "on" if on else "off", exc_info=True)
            if on:
                message = "The microphone could not be turned on; the meeting may not hear the bot."
                lifecycle.bot_add_warning(bot=self.bot, code="microphone_off", message=message)

    def _publish(self, type: str, payload: dict, extra: dict) -> None:
        data = {"bot_id": self.bot.id, "speech_id": payload.get("speech_id", ""), "text": payload.get("text"), **extra}
        try:
            publish(self.bot.meeting, type, data, bot_id=self.bot.id)
        except Exception:
            log.warning("Bot %s: %s could not be published", self.bot.id, type, exc_info=True)
