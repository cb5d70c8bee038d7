"""Screenshots of a bot's page in the call: on demand (a `screenshot` command) and every
`screenshots.interval_s` seconds when the bot's settings ask for it.

The files are the list: MEDIA_ROOT/bots/<bot id>/screenshots/<UTC time>-<trigger>.png, served by
/media/ to the bot's organization only (bots/media.py), with signed links in the API's answers.
"""

import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from bots.models import Bot

log = logging.getLogger(__name__)

TRIGGERS = ("on_demand", "periodic")
FILE_NAME = re.compile(r"^(?P<stamp>\d{8}T\d{6}\d{3}Z)-(?P<trigger>on_demand|periodic)\.png$")
# The shortest interval a bot may ask for: a screenshot costs the page about 50 ms of CPU.
MIN_INTERVAL_S = 5


@dataclass(frozen=True)
class Screenshot:
    path: str  # relative to MEDIA_ROOT
    trigger: str
    taken_at: datetime
    size: int


def screenshot_directory(bot_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "bots" / bot_id / "screenshots"


def screenshot_save(*, bot: Bot, png: bytes, trigger: str) -> Screenshot:
    """Store one screenshot of the bot's page."""
    taken_at = timezone.now()
    name = f"{taken_at.strftime('%Y%m%dT%H%M%S')}{taken_at.microsecond // 1000:03d}Z-{trigger}.png"
    directory = screenshot_directory(bot.id)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(png)
    return Screenshot(f"bots/{bot.id}/screenshots/{name}", trigger, taken_at, len(png))


def bot_screenshots(*, bot: Bot) -> list[Screenshot]:
    """The bot's screenshots, oldest first."""
    directory = screenshot_directory(bot.id)
    if not directory.is_dir():
        return []
    found = []
    for file in sorted(directory.iterdir()):
        match = FILE_NAME.match(file.name)
        if match is None:
            continue
        taken_at = datetime.strptime(match["stamp"][:-4], "%Y%m%dT%H%M%S").replace(
            tzinfo=UTC, microsecond=int(match["stamp"][-4:-1]) * 1000
        )
        path = f"bots/{bot.id}/screenshots/{file.name}"
        found.append(Screenshot(path, match["trigger"], taken_at, file.stat().st_size))
    return found


class PeriodicScreenshots:
    """Takes a screenshot every `interval_s` seconds of the call (none when 0)."""

    def __init__(self, bot: Bot, driver) -> None:
        self.bot = bot
        self.driver = driver
        self.interval_s = int((bot.settings.get("screenshots") or {}).get("interval_s") or 0)
        self._next = time.monotonic() + self.interval_s

    def poll(self) -> None:
        if not self.interval_s or time.monotonic() < self._next:
            return
        self._next = time.monotonic() + self.interval_s
        screenshot_take(bot=self.bot, driver=self.driver, trigger="periodic")


def screenshot_take(*, bot: Bot, driver, trigger: str) -> Screenshot | None:
    """A screenshot of the page now; None when the browser could not give one (logged)."""
    try:
        png = driver.get_screenshot_as_png()
    except Exception:
        log.warning("Bot %s: no screenshot", bot.id, exc_info=True)
        return None
    return screenshot_save(bot=bot, png=png, trigger=trigger)
