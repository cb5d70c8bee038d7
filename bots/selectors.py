"""Reads on bots, always scoped to one organization."""

from django.db.models import QuerySet

from accounts.models import Organization
from bots.models import Bot
from common.errors import NotFound


def bot_list(*, organization: Organization, filters: dict | None = None) -> QuerySet[Bot]:
    """Bots of the organization. filters: status, platform, end_fault, end_reason (lists), meeting_url,
    created_after, created_before, and metadata (a dict of key -> value, all of which must match)."""
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
        qs = qs.filter(meeting_url=filters["meeting_url"])
    if filters.get("created_after"):
        qs = qs.filter(created_at__gte=filters["created_after"])
    if filters.get("created_before"):
        qs = qs.filter(created_at__lt=filters["created_before"])
    for key, value in (filters.get("metadata") or {}).items():
        qs = qs.filter(**{f"metadata__{key}": value})
    return qs


def bot_get(*, organization: Organization, bot_id: str) -> Bot:
    bot = Bot.objects.filter(organization=organization, pk=bot_id).select_related("project", "meeting").first()
    if bot is None:
        raise NotFound(f"No bot '{bot_id}' in your organization.")
    return bot
