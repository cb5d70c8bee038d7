"""`GET /api/v1/meetings/{id}/chat`: the meeting's chat, as its bot saw it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from accounts.api import ApiView
from meetings import selectors
from meetings.chat import meeting_chat_messages
from meetings.models import ChatMessage


class ChatMessageSerializer(serializers.ModelSerializer):
    participant_id = serializers.CharField(allow_null=True, help_text="The sender in the roster; null when none")
    to = serializers.CharField(
        allow_null=True,
        help_text="A private message's recipient, the name shown (the bot's for a message to the bot); null: everyone",
    )
    to_participant_id = serializers.CharField(allow_null=True, help_text="The recipient in the roster; null when none")
    at = serializers.DateTimeField(source="sent_at")

    class Meta:
        model = ChatMessage
        fields = [
            "id",
            "bot_id",
            "participant_id",
            "sender",
            "from_bot",
            "to",
            "to_participant_id",
            "text",
            "at",
            "offset_ms",
        ]


class ChatOut(serializers.Serializer):
    meeting_id = serializers.CharField()
    messages = ChatMessageSerializer(many=True)


class MeetingChatView(ApiView):
    @extend_schema(
        operation_id="meetings_chat",
        responses=ChatOut,
        description="Every message of the meeting's chat, oldest first, the bot's own included (`from_bot`).",
    )
    def get(self, request, meeting_id: str):
        meeting = selectors.meeting_get(organization=request.user.organization, meeting_id=meeting_id)
        messages = ChatMessageSerializer(meeting_chat_messages(meeting=meeting), many=True).data
        return Response({"meeting_id": meeting.id, "messages": messages})
