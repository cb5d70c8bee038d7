"""The meeting's chat: each message the bot's page showed becomes a row and a `chat.message` event."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from meetings.events import EventType, publish
from meetings.models import ChatMessage, Meeting, Participant

MAX_TEXT = 4000


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def chat_message_payload(message: ChatMessage) -> dict:
    return {
        "message_id": message.id,
        "bot_id": message.bot_id,
        "participant_id": message.participant_id,
        "sender": message.sender,
        "from_bot": message.from_bot,
        "to": message.to,
        "to_participant_id": message.to_participant_id,
        "text": message.text,
        "at": _iso(message.sent_at),
        "offset_ms": message.offset_ms,
    }


@transaction.atomic
def chat_message_record(
    *,
    meeting: Meeting,
    sender: str,
    text: str,
    sent_at: datetime,
    offset_ms: int,
    from_bot: bool = False,
    bot_id: str = "",
    to: str | None = None,
    to_bot: bool = False,
) -> ChatMessage:
    """Store a message seen in the chat and publish it. The sender, and a private message's recipient
    (`to`, a name; `to_bot` when it is the bot), are matched to the roster by name (the chat panels
    show names, not ids): the one present with that name, else the latest one."""
    participant = None if from_bot else _roster_match(meeting, sender)
    to = to.replace("\x00", "")[:200] if to else None
    message = ChatMessage.objects.create(
        to=to,
        to_participant=None if to is None or to_bot else _roster_match(meeting, to),
        meeting=meeting,
        bot_id=bot_id,
        participant=participant,
        sender=sender.replace("\x00", "")[:200],
        from_bot=from_bot,
        text=text.replace("\x00", "")[:MAX_TEXT],
        sent_at=sent_at,
        offset_ms=offset_ms,
    )
    publish(meeting, EventType.CHAT_MESSAGE, chat_message_payload(message), bot_id=bot_id)
    return message


def _roster_match(meeting: Meeting, name: str) -> Participant | None:
    named = Participant.objects.filter(meeting=meeting, name=name[:200])
    return named.filter(left_at__isnull=True).last() or named.last()


def meeting_chat_messages(*, meeting: Meeting) -> QuerySet[ChatMessage]:
    return ChatMessage.objects.filter(meeting=meeting).order_by("sent_at", "id")
