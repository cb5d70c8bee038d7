"""Reads for the Meemo views: the caller's meeting by Meemo id (403 for another organization's, as
Meemo's SDK expects), the meeting list's filters on top of `meetings.selectors.meeting_list`, and
Meemo's page-number paging."""

from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Organization
from bots.models import Bot
from common.errors import NotFound, NotulaError, ValidationError
from compat.meemo.ids import meemo_id, notula_of
from compat.meemo.status import status_filter
from meetings.models import Meeting, Participant
from meetings.selectors import meeting_get, meeting_list

DEFAULT_SIZE = 10


class Forbidden(NotulaError):
    status_code = 403
    code = "permission_denied"


def organization_check(organization: Organization, organization_id: int | None) -> None:
    """An organization id other than the caller's (its key's) is one it has no access to."""
    if organization_id is not None and organization_id != meemo_id(organization.id):
        raise Forbidden(f"No access to organization {organization_id}.")


def meeting_for(organization: Organization, meeting_id: int | str) -> Meeting:
    notula = notula_of("mtg", meeting_id, what="meeting")
    try:
        return meeting_get(organization=organization, meeting_id=notula)
    except NotFound:
        if Meeting.objects.filter(pk=notula).exists():
            raise Forbidden(f"No access to meeting {meeting_id}.") from None
        raise


def _day_start(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _bot_metadata(lookup: str, value) -> Q:
    return Q(Exists(Bot.objects.filter(meeting_id=OuterRef("pk"), **{f"metadata__meemo__{lookup}": value})))


def meetings_filtered(organization: Organization, query: dict) -> QuerySet[Meeting]:
    """Meetings matching every filter given; dates are whole UTC days, `*_before` included."""
    native = {"title": query.get("title")}
    if query.get("created_after"):
        native["created_after"] = _day_start(query["created_after"])
    if query.get("created_before"):
        native["created_before"] = _day_start(query["created_before"] + timedelta(days=1))
    qs = meeting_list(organization=organization, filters=native)
    started = "started_at"
    if query.get("start_after"):
        qs = qs.filter(**{f"{started}__gte": _day_start(query["start_after"])})
    if query.get("start_before"):
        qs = qs.filter(**{f"{started}__lt": _day_start(query["start_before"] + timedelta(days=1))})
    if query.get("search"):
        word = query["search"]
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(segments__text__icontains=word))
    if query.get("participants"):
        try:
            ids = [notula_of("prt", number, what="participant") for number in query["participants"].split(",")]
        except NotFound as exc:
            raise ValidationError(str(exc), fields={"participants": ["not a participant id"]}) from None
        qs = qs.filter(Exists(Participant.objects.filter(meeting_id=OuterRef("pk"), pk__in=ids)))
    if query.get("status"):
        qs = qs.filter(status_filter(query["status"]))
    if query.get("summary_complete"):
        complete = Q(status=Meeting.Status.COMPLETED)
        qs = qs.filter(complete if query["summary_complete"].lower() == "true" else ~complete)
    if query.get("from_calendar"):
        from_calendar = _bot_metadata("has_key", "calendar_event")
        qs = qs.filter(from_calendar if query["from_calendar"].lower() == "true" else ~from_calendar)
    if query.get("calendar_event_id"):
        qs = qs.filter(_bot_metadata("calendar_event__event_id", query["calendar_event_id"]))
    if query.get("meeting_link"):
        link = query["meeting_link"]
        qs = qs.filter(Q(meeting_url__icontains=link) | _bot_metadata("calendar_event__meeting_link__icontains", link))
    if query.get("calendar_event_name"):
        qs = qs.filter(_bot_metadata("calendar_event__summary__icontains", query["calendar_event_name"]))
    if query.get("calendar_event_description"):
        qs = qs.filter(_bot_metadata("calendar_event__description__icontains", query["calendar_event_description"]))
    return qs.distinct().select_related("organization").prefetch_related("bots").order_by("-created_at", "-pk")


def page_of(request, rows: QuerySet, query: dict, render) -> dict:
    """`{count, next, previous, results}` with absolute `next`/`previous` links, as Meemo pages."""
    size, page = query.get("size") or DEFAULT_SIZE, query.get("page") or 1
    count = rows.count()
    items = rows[(page - 1) * size : page * size]

    def link(number: int) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "page"}
        return request.build_absolute_uri(request.path + "?" + urlencode({**params, "page": number}))

    return {
        "count": count,
        "next": link(page + 1) if page * size < count else None,
        "previous": link(page - 1) if page > 1 and count else None,
        "results": [render(item) for item in items],
    }
