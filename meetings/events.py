"""The one path of every event: `publish` appends to the meeting's ordered log (the outbox), and
after commit pushes it to the meeting's Channels group and hands it to webhook delivery."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import F

from meetings.models import Meeting, MeetingEvent

log = logging.getLogger(__name__)


class EventType:
    BOT_STATUS_CHANGED = "bot.status_changed"
    PARTICIPANT_JOINED = "participant_joined"
    PARTICIPANT_LEFT = "participant_left"
    SPEAKER_CHANGED = "speaker_changed"
    CAPTION_PARTIAL = "caption_partial"
    SEGMENT_FINALIZED = "segment_finalized"
    COACH_INSIGHT = "coach_insight"
    RECORDING_READY = "recording_ready"
    TRANSCRIPT_READY = "transcript_ready"
    DOCUMENT_SAVED = "document_saved"
    CHAT_MESSAGE = "chat_message"

    ALL = (
        BOT_STATUS_CHANGED,
        PARTICIPANT_JOINED,
        PARTICIPANT_LEFT,
        SPEAKER_CHANGED,
        CAPTION_PARTIAL,
        SEGMENT_FINALIZED,
        COACH_INSIGHT,
        RECORDING_READY,
        TRANSCRIPT_READY,
        DOCUMENT_SAVED,
        CHAT_MESSAGE,
    )


def meeting_group(meeting_id: str) -> str:
    return f"meeting.{meeting_id}"


def organization_group(organization_id: str) -> str:
    return f"org.{organization_id}"


def event_to_dict(event: MeetingEvent) -> dict:
    return {
        "id": event.id,
        "type": event.type,
        "meeting_id": event.meeting_id,
        "bot_id": event.bot_id or None,
        "sequence": event.sequence,
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": event.payload,
    }


def publish(meeting: Meeting, type: str, payload: dict, *, bot_id: str = "") -> MeetingEvent:
    """Append an event to the meeting's log with the next gapless sequence number.

    The sequence counter is bumped with an UPDATE on the meeting row, which holds the row lock until
    the surrounding transaction ends: concurrent publishers queue up, and a rolled-back publish
    gives its number back. Webhook deliveries are written in the same transaction, so an event that
    exists is never missing its deliveries; pushes happen only after commit.
    """
    from webhooks.services import deliveries_create_for_event, deliveries_enqueue

    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(event_seq=F("event_seq") + 1)
        sequence = Meeting.objects.filter(pk=meeting.pk).values_list("event_seq", flat=True).get()
        event = MeetingEvent.objects.create(
            meeting_id=meeting.pk, sequence=sequence, type=type, payload=payload, bot_id=bot_id
        )
        streams = deliveries_create_for_event(event=event, organization_id=meeting.organization_id)
        message = event_to_dict(event)
        organization_id = meeting.organization_id
        transaction.on_commit(lambda: _push(message, organization_id))
        if streams:
            transaction.on_commit(lambda: deliveries_enqueue(streams=streams))
    meeting.event_seq = sequence
    return event


def _push(message: dict, organization_id: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        send = async_to_sync(layer.group_send)
        send(meeting_group(message["meeting_id"]), {"type": "meeting.event", "event": message})
        send(organization_group(organization_id), {"type": "meeting.event", "event": message})
    except Exception:
        # The log is the truth; live listeners that missed a push replay with ?after=N.
        log.warning("Could not push event %s to the channel layer", message["id"], exc_info=True)
