"""The MeetStream bot API (seed 003): create_bot and the bot's reads and actions. Thin: each view reads
the body, calls the same service or selector as the native API, and answers in MeetStream's words."""

from rest_framework import status
from rest_framework.response import Response

from bots import selectors, services
from bots.models import BotStatus
from bots.pause import bot_pause_recording, bot_resume_recording
from compat.base import DialectView
from compat.meetstream import outputs
from compat.meetstream.create import bot_create_from
from compat.meetstream.errors import meetstream_error_body
from compat.meetstream.inputs import CreateBotInput, EmptyInput, TranscriptQuery
from meetings.models import Meeting


class MeetStreamView(DialectView):
    error_body = staticmethod(meetstream_error_body)
    field_names = {
        "meeting_url": "meeting_link",
        "webhook_url": "callback_url",
        "entry_message": "bot_message",
        "metadata": "custom_attributes",
        "text": "message",
        "image_url": "img_url",
        "transcription": "recording_config.transcript.provider",
    }

    def bot_for(self, bot_id: str):
        return selectors.bot_get(organization=self.request.user.organization, bot_id=bot_id)


class CreateBotView(MeetStreamView):
    def post(self, request):
        data = CreateBotInput(data=request.data)
        data.is_valid(raise_exception=True)
        bot = bot_create_from(data.validated_data, organization=request.user.organization, api_key=request.user.api_key)
        return Response(outputs.created(bot), status=status.HTTP_201_CREATED)


class BotListView(MeetStreamView):
    def get(self, request):
        bots = selectors.bot_list(organization=request.user.organization).filter(dialect="meetstream")
        return Response([outputs.status(bot) for bot in bots.order_by("-created_at")[:200]])


class StatusView(MeetStreamView):
    def get(self, request, bot_id: str):
        return Response(outputs.status(self.bot_for(bot_id)))


class DetailView(MeetStreamView):
    def get(self, request, bot_id: str):
        return Response(outputs.detail(self.bot_for(bot_id)))


class ParticipantsView(MeetStreamView):
    def get(self, request, bot_id: str):
        return Response(outputs.participants(self.bot_for(bot_id)))


class ChatsView(MeetStreamView):
    def get(self, request, bot_id: str):
        return Response(outputs.chats(self.bot_for(bot_id)))


class RemoveView(MeetStreamView):
    """`GET .../remove_bot` (the SDK's method): idempotent, a finished bot answers as it is."""

    def get(self, request, bot_id: str):
        bot = self.bot_for(bot_id)
        if bot.status not in (BotStatus.ENDED, BotStatus.FAILED, BotStatus.POST_PROCESSING):
            bot = services.bot_request_leave(bot=bot)
        return Response({**outputs.status(bot), "message": "Bot removal requested"})


class PauseView(MeetStreamView):
    def post(self, request, bot_id: str):
        EmptyInput(data=request.data).is_valid(raise_exception=True)
        return Response({"bot_id": bot_id, **bot_pause_recording(bot=self.bot_for(bot_id))})


class ResumeView(MeetStreamView):
    def post(self, request, bot_id: str):
        EmptyInput(data=request.data).is_valid(raise_exception=True)
        return Response({"bot_id": bot_id, **bot_resume_recording(bot=self.bot_for(bot_id))})


class TranscriptView(MeetStreamView):
    """202 (with a JSON body) until the transcript is complete, then the segments."""

    query_params = {"get": TranscriptQuery}

    def get(self, request, transcript_id: str):
        bot = selectors.bot_of_meeting(
            organization=request.user.organization, meeting_id=transcript_id, shown_as=transcript_id
        )
        if bot.meeting.status != Meeting.Status.COMPLETED:
            body = {"transcript_id": transcript_id, "status": "processing", "message": "Transcript is not ready yet"}
            return Response(body, status=status.HTTP_202_ACCEPTED)
        return Response(outputs.transcript(bot))
