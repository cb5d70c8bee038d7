"""Writes on meetings made while a bot attends: participants, the speaker timeline, recordings.

Each write publishes its event through `meetings.events.publish` in the same transaction.
"""

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from common.media_store import media_publish
from meetings.events import EventType, publish
from meetings.models import Meeting, Participant, ParticipantEvent, Recording


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _participant_payload(participant: Participant, *, occurred_at: datetime, offset_ms: int) -> dict:
    return {
        "participant_id": participant.id,
        "name": participant.name,
        "external_id": participant.external_id,
        "is_host": participant.is_host,
        "at": _iso(occurred_at),
        "offset_ms": offset_ms,
    }


@transaction.atomic
def participant_joined(
    *,
    meeting: Meeting,
    external_id: str,
    name: str,
    is_host: bool = False,
    occurred_at: datetime,
    offset_ms: int,
    bot_id: str = "",
) -> Participant:
    """Someone appeared in the roster: create (or reopen, on a rejoin) their row, log and publish it."""
    participant, created = Participant.objects.get_or_create(
        meeting=meeting,
        external_id=external_id[:200],
        defaults={"name": name[:200], "is_host": is_host, "joined_at": occurred_at},
    )
    if not created:
        participant.name = name[:200]
        participant.is_host = is_host
        participant.left_at = None
        participant.save(update_fields=["name", "is_host", "left_at"])
    ParticipantEvent.objects.create(
        meeting=meeting,
        participant=participant,
        kind=ParticipantEvent.Kind.JOIN,
        occurred_at=occurred_at,
        offset_ms=offset_ms,
    )
    payload = _participant_payload(participant, occurred_at=occurred_at, offset_ms=offset_ms)
    publish(meeting, EventType.PARTICIPANT_JOINED, payload, bot_id=bot_id)
    return participant


@transaction.atomic
def participant_left(
    *, participant: Participant, occurred_at: datetime, offset_ms: int, bot_id: str = ""
) -> Participant:
    """Someone disappeared from the roster."""
    participant.left_at = occurred_at
    participant.save(update_fields=["left_at"])
    ParticipantEvent.objects.create(
        meeting_id=participant.meeting_id,
        participant=participant,
        kind=ParticipantEvent.Kind.LEAVE,
        occurred_at=occurred_at,
        offset_ms=offset_ms,
    )
    payload = _participant_payload(participant, occurred_at=occurred_at, offset_ms=offset_ms)
    publish(participant.meeting, EventType.PARTICIPANT_LEFT, payload, bot_id=bot_id)
    return participant


@transaction.atomic
def participant_speech_changed(
    *, participant: Participant, speaking: bool, occurred_at: datetime, offset_ms: int, bot_id: str = ""
) -> ParticipantEvent:
    """A speaking indicator turned on or off: one entry of the meeting's speaker timeline."""
    kind = ParticipantEvent.Kind.SPEECH_START if speaking else ParticipantEvent.Kind.SPEECH_STOP
    event = ParticipantEvent.objects.create(
        meeting_id=participant.meeting_id,
        participant=participant,
        kind=kind,
        occurred_at=occurred_at,
        offset_ms=offset_ms,
    )
    payload = {
        "participant_id": participant.id,
        "name": participant.name,
        "speaking": speaking,
        "at": _iso(occurred_at),
        "offset_ms": offset_ms,
    }
    publish(participant.meeting, EventType.SPEAKER_CHANGED, payload, bot_id=bot_id)
    return event


def meeting_set_times(
    *, meeting: Meeting, started_at: datetime | None = None, ended_at: datetime | None = None
) -> Meeting:
    """The meeting as the bot saw it: from its admission to its leaving."""
    fields = []
    if started_at is not None and meeting.started_at is None:
        meeting.started_at = started_at
        fields.append("started_at")
    if ended_at is not None:
        meeting.ended_at = ended_at
        fields.append("ended_at")
    if fields:
        meeting.save(update_fields=fields)
    return meeting


@transaction.atomic
def recording_create(
    *,
    meeting: Meeting,
    kind: str,
    format: str,
    path: Path,
    duration_ms: int,
    bot_id: str = "",
    gaps: list | None = None,
    participant: Participant | None = None,
    speaker: str = "",
) -> Recording:
    """Register a finished recording file (under MEDIA_ROOT), move it into the media storage, and
    publish `recording.ready`; `gaps`: where the recording was paused. With `speaker` it is one
    participant's track alone (`participant` once the track was bound to them), not the mix."""
    size_bytes = Path(path).stat().st_size
    relative = media_publish(Path(path))
    recording = Recording.objects.create(
        meeting=meeting,
        kind=kind,
        format=format,
        file=relative,
        duration_ms=duration_ms,
        size_bytes=size_bytes,
        gaps=gaps or [],
        source=Recording.Source.PARTICIPANT if speaker else Recording.Source.MIXED,
        participant=participant,
        speaker=speaker,
    )
    payload = {
        "recording_id": recording.id,
        "kind": kind,
        "format": format,
        "source": recording.source,
        "participant_id": participant.id if participant else None,
        "speaker": speaker or None,
        "duration_ms": duration_ms,
        "size_bytes": recording.size_bytes,
        "url": f"{settings.PUBLIC_URL}{settings.MEDIA_URL}{relative}",
    }
    publish(meeting, EventType.RECORDING_READY, payload, bot_id=bot_id)
    return recording
