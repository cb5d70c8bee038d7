"""What a bot does once admitted, besides listening: its entry message, the platform's captions when
they are its transcript, and the screen recording in `speaker_view`. Each is best effort: a bot that
could not post its message still records the meeting."""

import logging

from bots.models import Bot
from bots.sinks import recording_directory

log = logging.getLogger(__name__)


def on_admitted(bot: Bot, adapter) -> None:
    if bot.entry_message:
        try:
            adapter.send_chat(bot.entry_message)
        except Exception:
            log.warning("Bot %s could not post its entry message", bot.id, exc_info=True)
    if (bot.settings.get("transcription") or {}).get("backend") == "captions":
        try:
            adapter.enable_captions()
        except Exception:
            log.warning("Bot %s could not turn captions on", bot.id, exc_info=True)


def screen_recording_start(bot: Bot, driver):
    """The screen recorder of a `speaker_view` bot, started; None for audio only or when it fails."""
    if (bot.settings.get("recording") or {}).get("mode") != "speaker_view":
        return None
    from bots.video import ScreenRecorder

    directory = recording_directory(bot)
    directory.mkdir(parents=True, exist_ok=True)
    recorder = ScreenRecorder(driver, directory / "screen.mp4")
    try:
        recorder.start()
    except Exception:
        log.warning("Bot %s: no screen recording", bot.id, exc_info=True)
        return None
    return recorder
