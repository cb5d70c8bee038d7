"""Finds bots whose runner is gone (run by beat every 30 s), so nothing stays stuck.

- A bot in joining / waiting_room / in_call / leaving / post_processing whose heartbeat is older than
  BOT_HEARTBEAT_TIMEOUT_S: its worker died (kill -9, out of memory, a lost machine). It becomes
  failed / bot_crashed. The runner heartbeats every 5 s, so a dead one is found within the timeout
  plus one beat period.
- A bot still `queued` after BOT_QUEUE_TIMEOUT_S: the message was lost, or reserved by a worker that
  died before starting it (with acks_late off, Redis would hand it back only after the visibility
  timeout, hours later). It is enqueued once more (`requeued`; safe, because a run that finds its bot
  no longer queued starts no browser), and failed / internal_error if it is still queued after a
  second timeout.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bots.models import Bot, BotEvent, BotStatus, EndReason
from bots.states import IllegalTransition, bot_apply_event

log = logging.getLogger(__name__)

RUNNING = (BotStatus.JOINING, BotStatus.WAITING_ROOM, BotStatus.IN_CALL, BotStatus.LEAVING, BotStatus.POST_PROCESSING)


def bots_reap_stale(*, now: datetime | None = None, timeout_s: int | None = None) -> list[str]:
    """Mark running bots without a recent heartbeat failed / bot_crashed. Returns their ids."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=timeout_s if timeout_s is not None else settings.BOT_HEARTBEAT_TIMEOUT_S)
    stale = Bot.objects.filter(status__in=RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, updated_at__lt=limit)
    )
    reaped = []
    for bot in stale:
        seen = bot.heartbeat_at.isoformat() if bot.heartbeat_at else "never"
        try:
            bot_apply_event(
                bot,
                "failed",
                end_reason=EndReason.BOT_CRASHED,
                message=f"The bot's worker stopped answering (last heartbeat {seen}, worker {bot.worker or '?'}).",
                last_heartbeat=seen,
            )
        except IllegalTransition:
            continue  # it finished meanwhile
        reaped.append(bot.id)
    if reaped:
        log.warning("Reaped bots without a heartbeat: %s", ", ".join(reaped))
    return reaped


def bots_requeue_unclaimed(*, now: datetime | None = None, timeout_s: int | None = None) -> dict[str, list[str]]:
    """Queued bots no worker started: enqueue once more, then fail. Returns {"requeued", "failed"}."""
    from bots.services import _enqueue_on_commit

    now = now or timezone.now()
    limit = now - timedelta(seconds=timeout_s if timeout_s is not None else settings.BOT_QUEUE_TIMEOUT_S)
    result: dict[str, list[str]] = {"requeued": [], "failed": []}
    for bot in Bot.objects.filter(status=BotStatus.QUEUED, updated_at__lt=limit):
        try:
            if BotEvent.objects.filter(bot=bot, event="requeued").exists():
                bot_apply_event(
                    bot,
                    "failed",
                    end_reason=EndReason.INTERNAL_ERROR,
                    message="No worker started this bot; is a worker running on the `bots` queue?",
                )
                result["failed"].append(bot.id)
            else:
                from django.db import transaction

                with transaction.atomic():
                    bot_apply_event(bot, "requeued")
                    _enqueue_on_commit(bot.id)
                result["requeued"].append(bot.id)
        except IllegalTransition:
            continue
    return result
