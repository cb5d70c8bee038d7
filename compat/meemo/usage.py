"""Meemo's usage per capability: the meetings created, and the minutes of them transcribed, in the
period (whole UTC days, both ends included; the current calendar month when no start is given).
Notula sets no quotas: `quota` is null."""

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Sum
from django.utils import timezone

from accounts.models import Organization
from compat.meemo.ids import meemo_id
from meetings.models import Meeting, Recording
from meetings.selectors import meeting_list, recordings_mixed


def usage_rows(organization: Organization, start: date | None, end: date | None) -> list[dict]:
    start = start or timezone.now().date().replace(day=1)
    since = datetime.combine(start, time.min, tzinfo=UTC)
    until = datetime.combine(end, time.min, tzinfo=UTC) + timedelta(days=1) if end else None
    filters = {"created_after": since, **({"created_before": until} if until else {})}
    meetings = meeting_list(organization=organization, filters=filters)
    transcribed = meetings.filter(status=Meeting.Status.COMPLETED)
    # A meeting's length is its audio recording's (a video one covers the same call).
    audio = recordings_mixed().filter(meeting__in=transcribed, kind=Recording.Kind.AUDIO)
    milliseconds = audio.aggregate(total=Sum("duration_ms"))["total"] or 0
    row = {"organization_id": meemo_id(organization.id), "organization_name": organization.name, "quota": None}
    return [
        {**row, "capability_name": "meetings", "usage": float(meetings.count())},
        {**row, "capability_name": "transcription_minutes", "usage": round(milliseconds / 60000, 2)},
    ]
