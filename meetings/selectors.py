"""Reads on meetings, always scoped to one organization."""

from django.db.models import Count, Max, Min, QuerySet

from accounts.models import Organization
from common.errors import NotFound
from meetings.models import Meeting, MeetingEvent, ParticipantEvent, Recording, TranscriptSegment
from meetings.timeline import SpeakerTimeline


def meeting_list(*, organization: Organization, filters: dict | None = None) -> QuerySet[Meeting]:
    """Meetings of the organization. filters: status, source and platform (lists), title (a part,
    ignoring case), created_after and created_before (datetimes)."""
    filters = filters or {}
    qs = Meeting.objects.filter(organization=organization).select_related("project")
    for name in ("status", "source", "platform"):
        if filters.get(name):
            qs = qs.filter(**{f"{name}__in": filters[name]})
    if filters.get("title"):
        qs = qs.filter(title__icontains=filters["title"])
    if filters.get("created_after"):
        qs = qs.filter(created_at__gte=filters["created_after"])
    if filters.get("created_before"):
        qs = qs.filter(created_at__lt=filters["created_before"])
    return qs


def meeting_get(*, organization: Organization, meeting_id: str) -> Meeting:
    meeting = Meeting.objects.filter(organization=organization, pk=meeting_id).select_related("project").first()
    if meeting is None:
        raise NotFound(f"No meeting '{meeting_id}' in your organization.")
    return meeting


def meeting_segments(*, meeting: Meeting) -> QuerySet[TranscriptSegment]:
    """The latest transcription of the meeting, in spoken order."""
    latest = meeting.segments.aggregate(r=Max("revision"))["r"] or 1
    return meeting.segments.filter(revision=latest).order_by("start_ms", "created_at")


def meeting_events_after(*, meeting: Meeting, after: int = 0, limit: int = 1000) -> QuerySet[MeetingEvent]:
    return MeetingEvent.objects.filter(meeting=meeting, sequence__gt=after).order_by("sequence")[:limit]


def meeting_speaker_timeline(*, meeting: Meeting) -> SpeakerTimeline:
    """Who spoke when, as the bot's speaking indicators recorded it (ParticipantEvent rows)."""
    timeline = SpeakerTimeline()
    events = ParticipantEvent.objects.filter(
        meeting=meeting, kind__in=[ParticipantEvent.Kind.SPEECH_START, ParticipantEvent.Kind.SPEECH_STOP]
    ).select_related("participant")
    for event in events.order_by("offset_ms", "id"):
        if event.kind == ParticipantEvent.Kind.SPEECH_START:
            timeline.start(event.participant_id, event.participant.name, event.offset_ms)
        else:
            timeline.stop(event.participant_id, event.offset_ms)
    return timeline


def organization_events_after(*, organization_id: str, after: int = 0, limit: int = 1000) -> QuerySet[MeetingEvent]:
    """The organization's own events (not tied to a meeting) after sequence `after`."""
    return MeetingEvent.objects.filter(organization_id=organization_id, sequence__gt=after).order_by("sequence")[:limit]


def organization_last_sequence(*, organization: Organization) -> int:
    """The sequence of the organization's latest own event (0: none yet), read fresh."""
    return Organization.objects.filter(pk=organization.pk).values_list("event_seq", flat=True).first() or 0


def meeting_transcript_revisions(*, meeting: Meeting) -> list[dict]:
    """Each transcript revision of the meeting: `{revision, segments, backend, created_at}`, oldest first."""
    rows = (
        meeting.segments.values("revision")
        .annotate(segments=Count("id"), backend=Max("backend"), created_at=Min("created_at"))
        .order_by("revision")
    )
    return list(rows)


def meeting_recordings(*, meeting: Meeting) -> QuerySet[Recording]:
    """Every recording file of the meeting: the mix, then each participant's track where the bot kept them."""
    return meeting.recordings.order_by("created_at", "id").select_related("participant")


def recordings_mixed(*, meeting: Meeting | None = None) -> QuerySet[Recording]:
    """The recordings of the whole call, every voice mixed: what any reader of "the" recording means.
    A participant's own track (`recording.per_participant`) is never one of them."""
    qs = Recording.objects.filter(source=Recording.Source.MIXED)
    return qs.filter(meeting=meeting).order_by("created_at", "id") if meeting is not None else qs


def recording_mixed_latest(*, meeting: Meeting, kind: str) -> Recording | None:
    """The newest mixed recording of this kind (audio, video), or None."""
    return recordings_mixed(meeting=meeting).filter(kind=kind).order_by("-created_at", "-id").first()
