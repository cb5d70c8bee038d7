"""Reads the dashboard needs that the other apps do not offer yet; always scoped to one organization."""

from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import ApiKey, Organization
from bots.models import Bot
from bots.states import ACTIVE
from common.errors import NotFound
from meetings.events import EventType
from meetings.models import Meeting, MeetingEvent
from simulator.models import SimMeeting
from webhooks.models import WebhookAttempt, WebhookDelivery


def api_key_list(*, organization: Organization) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(organization=organization).order_by("revoked_at", "-created_at")


def api_key_get(*, organization: Organization, key_id: str) -> ApiKey:
    api_key = ApiKey.objects.filter(organization=organization, pk=key_id).first()
    if api_key is None:
        raise NotFound(f"No API key '{key_id}' in your organization.")
    return api_key


def delivery_list_recent(*, organization: Organization, limit: int = 50) -> list[WebhookDelivery]:
    """The latest deliveries of every endpoint, with the latency of their last attempt."""
    last_attempt = WebhookAttempt.objects.filter(delivery=OuterRef("pk")).order_by("-created_at", "-id")
    return list(
        WebhookDelivery.objects.filter(endpoint__organization=organization)
        .select_related("endpoint", "event")
        .annotate(last_latency_ms=Subquery(last_attempt.values("latency_ms")[:1]))
        .order_by("-created_at")[:limit]
    )


def meeting_bots(*, meeting: Meeting) -> list[Bot]:
    return list(meeting.bots.order_by("created_at"))


def meeting_is_live(*, bots: list[Bot]) -> bool:
    return any(bot.status in ACTIVE for bot in bots)


def meeting_status_events(*, meeting: Meeting) -> QuerySet[MeetingEvent]:
    return MeetingEvent.objects.filter(meeting=meeting, type=EventType.BOT_STATUS_CHANGED).order_by("sequence")


def meeting_insights(*, meeting: Meeting) -> list[dict]:
    events = MeetingEvent.objects.filter(meeting=meeting, type=EventType.COACH_INSIGHT).order_by("sequence")
    return [
        {
            "category": event.payload.get("category") or "insight",
            "text": event.payload.get("text") or event.payload.get("message") or "",
            "sequence": event.sequence,
            "created_at": event.created_at,
        }
        for event in events
    ]


def bots_for_meeting_url(*, organization: Organization, url: str) -> list[Bot]:
    return list(Bot.objects.filter(organization=organization, meeting_url=url).order_by("-created_at"))


def sim_meeting_list_recent(*, organization: Organization, limit: int = 20) -> list[SimMeeting]:
    return list(SimMeeting.objects.filter(organization=organization).order_by("-created_at")[:limit])
