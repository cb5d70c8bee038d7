"""What a bot in a call does on request besides leaving: speak (bots/speaker.py) and pause its recording
(bots/pause.py). The session hands it every command and calls `tick` once a loop; it keeps the
recorded clock, which stands still while the recording is paused."""

import logging
import time

from bots import microphone
from bots.audio_in import LiveInput, audio_input_for
from bots.commands import Command
from bots.models import Bot
from bots.pause import RecordingPause
from bots.speaker import Speaker

log = logging.getLogger(__name__)


class CallActions:
    def __init__(self, bot: Bot, driver, adapter, *, admitted: float, samples, screen=None) -> None:
        self.admitted = admitted  # time.monotonic() at the admission
        self.speaker = Speaker(bot, driver, adapter)
        self.driver = driver
        source = audio_input_for(bot)
        self.live = LiveInput(source, self.speaker) if source is not None else None
        if (bot.settings.get("recording") or {}).get("include_bot_voice"):
            try:
                microphone.include_in_recording(driver)
            except Exception:
                log.warning("Bot %s: its own voice could not be added to the recording", bot.id, exc_info=True)
        self.pause = RecordingPause(bot)
        self.samples = samples  # the capture's clock now, in samples
        self.screen = screen
        self.bot = bot

    @property
    def paused(self) -> bool:
        return self.pause.paused

    def handle(self, command: Command) -> None:
        try:
            if self.speaker.handle(command):
                return
            taken = self.pause.handle(command, sample=self.samples(), recorded_ms=self.recorded_ms())
            if taken and self.screen is not None:
                self.screen.paused = self.pause.paused
        except Exception:
            log.warning("Bot %s: command %s (%s) failed", self.bot.id, command.id, command.kind, exc_info=True)

    def tick(self) -> None:
        if self.live is not None:
            try:
                self.live.tick(self.driver)
            except Exception:
                log.warning("Bot %s: live audio in could not reach the microphone", self.bot.id, exc_info=True)
        try:
            self.speaker.tick()
        except Exception:
            log.warning("Bot %s: speaking failed; the rest of its queue is dropped", self.bot.id, exc_info=True)
            self.speaker.queue.clear()
            self.speaker.current = None

    def audio_sample(self, sample: int) -> int:
        """A captured sample's place on the recorded clock."""
        return sample - self.pause.paused_samples

    def recorded_ms(self) -> int:
        """Milliseconds since the admission on the recorded clock."""
        return self.pause.wall_offset_ms(int((time.monotonic() - self.admitted) * 1000))

    def close(self) -> None:
        self.pause.close(sample=self.samples())
        if self.live is not None:
            self.live.source.close()
        try:
            self.speaker.stop()
        except Exception:
            log.info("Bot %s: the microphone could not be silenced; the browser is closing anyway", self.bot.id)
