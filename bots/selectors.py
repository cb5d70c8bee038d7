"""Reads on bots, always scoped to one organization."""

import json

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTransform

from accounts.models import Organization
from bots.models import Bot, BotEvent
from common.errors import NotFound
from meetings.models import Participant


def _json_candidates(value: str) -> list:
    """A query-string value as the JSON values it can stand for: "42" is also 42, "true" also true."""
    candidates: list = [value]
    try:
        parsed = json.loads(value)
    except ValueError:
        return candidates
    if isinstance(parsed, (bool, int, float)):
        candidates.append(parsed)
    return candidates


def bot_list(*, organization: Organization, filters: dict | None = None) -> QuerySet[Bot]:
    """Bots of the organization. filters: status, platform, end_fault and end_reason (lists), meeting_url,
    bot_name and speaker_name (a part, ignoring case), created_after/before and ended_after/before
    (datetimes), and metadata (key -> value as text, all of which must match, as a string, a number or a
    boolean)."""
    filters = filters or {}
    qs = Bot.objects.filter(organization=organization).select_related("project")
    if filters.get("status"):
        qs = qs.filter(status__in=filters["status"])
    if filters.get("platform"):
        qs = qs.filter(platform__in=filters["platform"])
    if filters.get("end_fault"):
        qs = qs.filter(end_fault__in=filters["end_fault"])
    if filters.get("end_reason"):
        qs = qs.filter(end_reason__in=filters["end_reason"])
    if filters.get("meeting_url"):
        qs = qs.filter(meeting_url__icontains=filters["meeting_url"])
    if filters.get("bot_name"):
        qs = qs.filter(bot_name__icontains=filters["bot_name"])
    if filters.get("speaker_name"):
        present = Participant.objects.filter(meeting_id=OuterRef("meeting_id"), name__icontains=filters["speaker_name"])
        qs = qs.filter(Exists(present))
    for name, lookup in (("created_after", "created_at__gte"), ("created_before", "created_at__lt")):
        if filters.get(name):
            qs = qs.filter(**{lookup: filters[name]})
    for name, lookup in (("ended_after", "ended_at__gte"), ("ended_before", "ended_at__lt")):
        if filters.get(name):
            qs = qs.filter(**{lookup: filters[name]})
    for index, (key, value) in enumerate((filters.get("metadata") or {}).items()):
        # A key transform, not `metadata__<key>`: a key with "__" in it stays one key.
        alias = f"metadata_{index}"
        qs = qs.alias(**{alias: KeyTransform(key, "metadata")})
        matches = Q()
        for candidate in _json_candidates(value):
            matches |= Q(**{alias: candidate})
        qs = qs.filter(matches)
    return qs


def bot_get(*, organization: Organization, bot_id: str) -> Bot:
    bot = Bot.objects.filter(organization=organization, pk=bot_id).select_related("project", "meeting").first()
    if bot is None:
        raise NotFound(f"No bot '{bot_id}' in your organization.")
    return bot


def bot_of_meeting(*, organization: Organization, meeting_id: str, shown_as: str = "") -> Bot:
    """The latest bot sent to the meeting (a vendor dialect's meeting has one bot); NotFound naming
    `shown_as` (the id the caller knows the meeting by) when there is none."""
    bot = (
        Bot.objects.filter(organization=organization, meeting_id=meeting_id)
        .select_related("project", "meeting")
        .order_by("-created_at")
        .first()
    )
    if bot is None:
        raise NotFound(f"No meeting '{shown_as or meeting_id}' in your organization.")
    return bot


def bot_status_history(*, bot: Bot) -> QuerySet[BotEvent]:
    """The bot's status changes (BotEvents that moved it), oldest first."""
    return bot.events.exclude(old_status=F("new_status")).order_by("created_at", "id")
