"""A calendar event's bot by hand: send one (to this occurrence or every occurrence of its series),
change its settings, or remove it. The choice is kept on the event (`bot_wanted`) so that the next
sync holds to it whatever the rules say."""

from django.db import transaction
from django.utils import timezone

from bots.models import BotStatus
from bots.services import bot_update
from calendars.models import CalendarEvent
from calendars.rules import event_bot_reason
from calendars.scheduling import BOT_SETTING_FIELDS, event_bot_sync
from common.errors import Conflict


def _targets(event: CalendarEvent, all_occurrences: bool) -> list[CalendarEvent]:
    if not all_occurrences or not event.series_id:
        return [event]
    return list(
        CalendarEvent.objects.filter(
            calendar=event.calendar, series_id=event.series_id, is_deleted=False, end__gt=timezone.now()
        ).order_by("start")
    )


@transaction.atomic
def event_bot_want(
    *, event: CalendarEvent, wanted: bool, all_occurrences: bool = False, settings: dict | None = None
) -> list[CalendarEvent]:
    """Send (wanted) or remove (not wanted) the bot of an event, or of its whole series."""
    events = _targets(event, all_occurrences)
    if wanted:
        ok, why = event_bot_reason(event)
        if not event.meeting_url or event.is_deleted or why == "over":
            raise Conflict(f"This event cannot have a bot: {why}.", code="calendar_event_not_schedulable")
    for each in events:
        each.bot_wanted = wanted
        if settings is not None:
            each.bot_settings = {**each.bot_settings, **settings}
        each.save(update_fields=["bot_wanted", "bot_settings", "updated_at"])
        event_bot_sync(each)
    return events


@transaction.atomic
def event_bot_settings(*, event: CalendarEvent, settings: dict, all_occurrences: bool = False) -> list[CalendarEvent]:
    """Change the settings of the event's bot (and of bots sent for it later)."""
    events = _targets(event, all_occurrences)
    for each in events:
        each.bot_settings = {**each.bot_settings, **settings}
        each.save(update_fields=["bot_settings", "updated_at"])
        if each.bot is not None and each.bot.status == BotStatus.SCHEDULED:
            changes = {k: v for k, v in settings.items() if k in BOT_SETTING_FIELDS}
            bot_update(bot=each.bot, **changes)
    return events
