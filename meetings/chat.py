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
) -> ChatMessage:
    """Store a message seen in the chat and publish it. The sender is matched to the roster by name
    (the chat panels show names, not ids): the one present with that name, else the latest one."""
    participant = None
    if not from_bot:
        named = Participant.objects.filter(meeting=meeting, name=sender[:200])
        participant = named.filter(left_at__isnull=True).last() or named.last()
    message = ChatMessage.objects.create(
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


def meeting_chat_messages(*, meeting: Meeting) -> QuerySet[ChatMessage]:
    return ChatMessage.objects.filter(meeting=meeting).order_by("sent_at", "id")
