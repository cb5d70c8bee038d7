"""A calendar event's bot: scheduled to join `NOTULA_CALENDAR_BOT_LEAD_S` before the start, moved with
the event, deleted with it. One bot per meeting link and start time in an organization, whichever of
its calendars the meeting came from: the bot's deduplication_key says which (`calendar:<start>:<link>`),
and a second calendar's copy of the meeting shares the first one's bot. A bot that is no longer
`scheduled` (joining, in the call, done) is left alone.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bots.models import Bot, BotStatus
from bots.services import bot_create, bot_delete, bot_update
from calendars.models import CalendarEvent
from calendars.rules import event_bot_reason
from common.errors import Conflict, NotulaError

logger = logging.getLogger(__name__)

SCHEDULED, MOVED, CANCELLED = "scheduled", "moved", "cancelled"
# The settings a calendar event may give its bot (PATCH /api/v1/calendar-events/{id}/bot).
BOT_SETTING_FIELDS = ("bot_name", "entry_message", "transcription", "recording", "automatic_leave", "metadata")


def bot_key(event: CalendarEvent) -> str:
    return f"calendar:{event.start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}:{event.meeting_url}"[:200]


def _join_at(event: CalendarEvent) -> datetime | None:
    """When the bot joins; None (at once) for a meeting that starts within the lead or has started."""
    join_at = event.start - timedelta(seconds=settings.CALENDAR_BOT_LEAD_S)
    return join_at if join_at > timezone.now() + timedelta(seconds=5) else None


def _shared_with_others(bot: Bot, event: CalendarEvent) -> bool:
    return CalendarEvent.objects.filter(bot=bot, is_deleted=False).exclude(pk=event.pk).exists()


def _existing_bot(event: CalendarEvent, key: str) -> Bot | None:
    return (
        Bot.objects.filter(organization_id=event.calendar.organization_id, deduplication_key=key)
        .exclude(status=BotStatus.FAILED)
        .order_by("created_at")
        .first()
    )


def _create(event: CalendarEvent, key: str) -> Bot | None:
    wanted = dict(event.bot_settings)
    metadata = {"calendar_id": event.calendar_id, "calendar_event_id": event.id, **wanted.pop("metadata", {})}
    try:
        with transaction.atomic():
            return bot_create(
                organization=event.calendar.organization,
                meeting_url=event.meeting_url,
                bot_name=wanted.pop("bot_name", "") or event.calendar.bot_name,
                join_at=_join_at(event),
                deduplication_key=key,
                metadata=metadata,
                **wanted,
            )
    except Conflict as exc:
        # Another calendar of the organization made this meeting's bot a moment ago.
        return Bot.objects.filter(pk=exc.extra.get("existing_bot_id")).first()
    except NotulaError as exc:
        # A link Notula no longer takes (the simulator turned off) must not stop the calendar's sync.
        logger.warning("No bot for calendar event %s: %s", event.id, exc.message)
        return None


def _detach(event: CalendarEvent, bot: Bot) -> bool:
    """Take the bot from the event; delete it when it is scheduled and no other event has it."""
    event.bot = None
    event.save(update_fields=["bot", "updated_at"])
    if bot.status == BotStatus.SCHEDULED and not _shared_with_others(bot, event):
        bot_delete(bot=bot)
        return True
    return False


def _in_line(event: CalendarEvent, wanted: bool) -> bool:
    """Whether the event's bot (as read, unlocked) already is what it should be: most events of a sync."""
    bot = event.bot
    if bot is None:
        return not wanted
    return bot.status != BotStatus.SCHEDULED or (wanted and bot.deduplication_key == bot_key(event))


def event_bot_sync(event: CalendarEvent) -> str | None:
    """Bring the event's bot in line with the event: SCHEDULED, MOVED, CANCELLED or None (nothing)."""
    wanted, _ = event_bot_reason(event)
    if _in_line(event, wanted):
        return None
    with transaction.atomic():
        return _bring_in_line(event, wanted)


def _bring_in_line(event: CalendarEvent, wanted: bool) -> str | None:
    bot = Bot.objects.select_for_update().filter(pk=event.bot_id).first() if event.bot_id else None
    if bot is not None and bot.status != BotStatus.SCHEDULED:
        return None  # already joining or done: the meeting is under way or over
    if not wanted:
        return CANCELLED if bot is not None and _detach(event, bot) else None
    key = bot_key(event)
    if bot is not None and bot.deduplication_key == key:
        return None
    existing = _existing_bot(event, key)
    if bot is not None:
        join_at = _join_at(event)
        if existing is None and join_at is not None and not _shared_with_others(bot, event):
            bot_update(bot=bot, join_at=join_at)
            Bot.objects.filter(pk=bot.pk).update(deduplication_key=key)
            return MOVED
        _detach(event, bot)
    event.bot = existing or _create(event, key)
    event.save(update_fields=["bot", "updated_at"])
    return SCHEDULED if existing is None and event.bot is not None else None
