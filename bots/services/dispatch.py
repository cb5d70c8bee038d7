"""Leaving on request and handing bots to workers."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from bots.commands import LISTENING, bot_command_send
from bots.lifecycle import bot_finish_unadmitted
from bots.models import Bot, BotStatus, EndReason
from bots.services.checks import DISPATCH_LEAD_S
from bots.services.writes import bot_dispatch
from bots.states import IllegalTransition
from common.errors import Conflict


def bot_request_leave(*, bot: Bot) -> Bot:
    """Ask the bot to leave. A bot in a call gets the command at once (bots/commands.py); a bot not
    yet started just ends; a bot already leaving is left to finish."""
    with transaction.atomic():
        locked = Bot.objects.select_for_update().get(pk=bot.pk)
        if locked.status in (BotStatus.ENDED, BotStatus.FAILED):
            raise Conflict(f"Bot {locked.id} has already {locked.status}.", code="bot_finished", status=locked.status)
        first_request = locked.leave_requested_at is None
        if first_request:
            # Also the runner's fallback: its heartbeat reads it if the command itself is lost.
            locked.leave_requested_at = timezone.now()
            locked.save(update_fields=["leave_requested_at", "updated_at"])
        # Still under the row lock: a worker picking the bot up now waits, then finds it ended,
        # instead of this request failing on a transition the worker made first.
        if locked.status in (BotStatus.SCHEDULED, BotStatus.QUEUED):
            bot_finish_unadmitted(bot=locked, end_reason=EndReason.LEFT_BY_REQUEST)
        elif first_request and locked.status in LISTENING:
            # A runner that stopped answering is the reaper's to fail; the request still stands.
            bot_command_send(bot=locked, kind="leave", check_heartbeat=False)
    locked.refresh_from_db()
    return locked


def bots_dispatch_due(*, now: datetime | None = None) -> list[str]:
    """Dispatch every scheduled bot whose join_at is within the lead time (run by beat)."""
    now = now or timezone.now()
    due = Bot.objects.filter(status=BotStatus.SCHEDULED, join_at__lte=now + timedelta(seconds=DISPATCH_LEAD_S))
    dispatched = []
    for bot in due:
        try:
            with transaction.atomic():
                bot_dispatch(bot=bot)
        except IllegalTransition:
            continue  # dispatched, changed or deleted meanwhile
        dispatched.append(bot.id)
    return dispatched
