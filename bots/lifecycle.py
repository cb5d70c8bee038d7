"""Writes around a bot's run: claim, heartbeat, debug artefacts, crash, ending a bot never admitted.
Status changes still go through `bots.states.bot_apply_event`; these add the bookkeeping around them."""

import logging
import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from bots.models import Bot, BotEvent, BotStatus, EndReason
from bots.states import IllegalTransition, bot_apply_event

log = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def bot_claim(*, bot_id: str, worker: str) -> Bot | None:
    """queued -> joining for this worker. None when the bot is not queued (a broker redelivery, a
    second worker, a bot already ended): the caller must then start nothing."""
    bot = Bot.objects.filter(pk=bot_id).first()
    if bot is None:
        log.warning("Bot %s does not exist; nothing to run", bot_id)
        return None
    try:
        with transaction.atomic():
            bot = bot_apply_event(bot, "join_started", worker=worker)
            Bot.objects.filter(pk=bot.pk).update(heartbeat_at=timezone.now(), worker=worker[:200])
    except IllegalTransition:
        log.warning("Bot %s is '%s', not queued; this run starts no browser", bot_id, bot.status)
        return None
    bot.refresh_from_db()
    return bot


def bot_heartbeat(*, bot: Bot) -> bool:
    """Record that the runner is alive; returns whether a leave was requested meanwhile."""
    now = timezone.now()
    Bot.objects.filter(pk=bot.pk).update(heartbeat_at=now)
    bot.heartbeat_at = now
    return bot_leave_requested(bot=bot)


@contextmanager
def heartbeat_in_background(*, bot: Bot, every_s: float = 5.0) -> Iterator[None]:
    """Keep heartbeating from a thread while the caller does long work that has no loop of its own
    (the transcriber draining its queue, ffmpeg encoding an hour of audio)."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every_s):
                Bot.objects.filter(pk=bot.pk).update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    thread = threading.Thread(target=beat, daemon=True, name=f"heartbeat-{bot.pk}")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(10)


class BotWarning:
    """Codes of `bot_add_warning`: something asked for that the bot could not do, the call going on."""

    CAMERA_OFF = "camera_off"
    ENTRY_MESSAGE_NOT_SENT = "entry_message_not_sent"
    NO_VIDEO = "no_video"

    MESSAGES = {
        CAMERA_OFF: "bot_image_url could not be used; the camera is off.",
        ENTRY_MESSAGE_NOT_SENT: "The entry_message could not be posted in the meeting's chat.",
        NO_VIDEO: "The screen could not be recorded for speaker_view; the recording is audio only.",
    }


def bot_add_warning(*, bot: Bot, code: str, message: str = "") -> None:
    """Record on the bot (its `warnings` in the API) and in its history (a `warning` BotEvent) that it
    could not do something it was asked to, instead of only logging it."""
    message = message or BotWarning.MESSAGES.get(code, code)
    with transaction.atomic():
        locked = Bot.objects.select_for_update().get(pk=bot.pk)
        entry = {"code": code, "message": message[:500], "at": timezone.now().isoformat().replace("+00:00", "Z")}
        locked.warnings = [*locked.warnings, entry]
        locked.save(update_fields=["warnings"])
        BotEvent.objects.create(
            bot=locked, event="warning", old_status=locked.status, new_status=locked.status, data=entry
        )
    bot.warnings = locked.warnings
    # Called from an except block, the log keeps the traceback for whoever debugs it.
    log.warning("Bot %s: %s (%s)", bot.id, message, code, exc_info=sys.exc_info()[0] is not None)


def bot_leave_requested(*, bot: Bot) -> bool:
    return Bot.objects.filter(pk=bot.pk, leave_requested_at__isnull=False).exists()


def bot_save_debug_artefacts(*, bot: Bot, screenshot: bytes | None, html: str | None) -> None:
    """Keep what the page looked like when things went wrong, linked from the bot."""
    fields = []
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    if screenshot:
        bot.debug_screenshot.save(f"{bot.id}-{stamp}.png", ContentFile(screenshot), save=False)
        fields.append("debug_screenshot")
    if html:
        bot.debug_html.save(f"{bot.id}-{stamp}.html", ContentFile(html.encode("utf-8")), save=False)
        fields.append("debug_html")
    if fields:
        Bot.objects.filter(pk=bot.pk).update(**{name: getattr(bot, name).name for name in fields})


def bot_crash(
    *, bot: Bot, message: str, error_type: str = "", screenshot: bytes | None = None, html: str | None = None
) -> None:
    """The runner hit an unexpected error: failed / bot_crashed, with whatever evidence it has.

    `message` is for people (bots.failures.failure_message); `error_type` goes to the `failed` event."""
    bot_save_debug_artefacts(bot=bot, screenshot=screenshot, html=html)
    bot.refresh_from_db()
    if bot.status in (BotStatus.ENDED, BotStatus.FAILED):
        return
    try:
        extra = {"error_type": error_type} if error_type else {}
        bot_apply_event(bot, "failed", end_reason=EndReason.BOT_CRASHED, message=message, **extra)
    except IllegalTransition:
        log.warning("Bot %s finished while its crash was being recorded", bot.id)


def bot_finish_unadmitted(*, bot: Bot, end_reason: str, message: str = "") -> Bot:
    """A bot that never got into the call: leaving -> ended, no recording, joined_at stays empty."""
    bot.refresh_from_db()
    if bot.status != BotStatus.LEAVING:
        bot_apply_event(bot, "leave_started", end_reason=end_reason, message=message)
    return bot_apply_event(bot, "ended")
