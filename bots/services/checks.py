"""The checks a bot's creation and changes pass: its link, webhook URL, join time, and no duplicate."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import Organization
from bots.models import Bot, BotStatus
from common.errors import Conflict, ValidationError
from meetings.meeting_urls import InvalidMeetingUrl, MeetingUrl, parse_meeting_url

# A scheduled bot is handed to a worker this long before join_at (browser start and join take a few s).
DISPATCH_LEAD_S = 30


def _parse_url(meeting_url: str) -> MeetingUrl:
    try:
        return parse_meeting_url(meeting_url)
    except InvalidMeetingUrl as exc:
        raise ValidationError(str(exc), fields={"meeting_url": [str(exc)]}) from exc


def _check_webhook_url(webhook_url: str) -> None:
    from common import net

    problem = net.url_problem(webhook_url, subject="webhook_url")
    if problem:
        raise ValidationError(problem, fields={"webhook_url": [problem]})


def _check_join_at(join_at: datetime | None) -> None:
    if join_at is not None and join_at <= timezone.now():
        raise ValidationError(
            "join_at must be in the future (ISO 8601 with a time zone); leave it out to join now.",
            fields={"join_at": ["must be in the future"]},
        )


def _is_scheduled(join_at: datetime | None) -> bool:
    return join_at is not None and join_at - timezone.now() > timedelta(seconds=DISPATCH_LEAD_S)


def _check_duplicate(*, organization: Organization, url: str, deduplication_key: str) -> None:
    """A second bot for the same meeting (or key) within the window is a 409 naming the first one.

    A bot that failed, or ended without ever being admitted (denied, lobby timeout, not found, a leave
    before joining), blocks nothing: sending another one is the retry it calls for."""
    since = timezone.now() - timedelta(seconds=settings.NOTULA_DEDUP_WINDOW_S)
    candidates = (
        Bot.objects.filter(organization=organization, created_at__gte=since)
        .exclude(status=BotStatus.FAILED)
        .exclude(status=BotStatus.ENDED, joined_at__isnull=True)
    )
    if deduplication_key:
        existing = candidates.filter(deduplication_key=deduplication_key).order_by("-created_at").first()
        what = f"deduplication_key '{deduplication_key}'"
    else:
        existing = candidates.filter(meeting_url=url, deduplication_key="").order_by("-created_at").first()
        what = "this meeting_url"
    if existing is not None:
        raise Conflict(
            f"Bot {existing.id} ({existing.status}) was created for {what} less than "
            f"{settings.NOTULA_DEDUP_WINDOW_S // 60} minutes ago; leave it, wait, or send a deduplication_key.",
            code="duplicate_bot",
            existing_bot_id=existing.id,
            existing_bot_status=existing.status,
        )
