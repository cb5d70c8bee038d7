"""The Sasha Meeting Room API (seed 000): start, stop, status, transcript, document. Thin: each view
reads the body, calls the same service or selector as the native API, and answers in Sasha's words."""

from django.http import HttpResponse
from rest_framework import status
from rest_framework.response import Response

from bots import selectors, services
from bots.models import BotStatus
from common.errors import Conflict, NotFound
from compat.base import DialectView
from compat.sasha import outputs
from compat.sasha.errors import sasha_error_body
from compat.sasha.ids import meeting_id_from
from compat.sasha.inputs import StartInput, StopInput
from compat.sasha.status import ACTIVE

NO_DOCUMENT = "No saved document for this meeting"


class SashaView(DialectView):
    error_body = staticmethod(sasha_error_body)
    field_names = {"meeting_url": "url", "webhook_url": "callbackUrl", "transcription": "saveTranscript"}

    def bot_for(self, sasha_id: str):
        meeting_id = meeting_id_from(sasha_id)
        return selectors.bot_of_meeting(
            organization=self.request.user.organization, meeting_id=meeting_id, shown_as=sasha_id
        )


class StartView(SashaView):
    def post(self, request):
        data = StartInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        bot = services.bot_create(
            organization=request.user.organization,
            api_key=request.user.api_key,
            meeting_url=given["url"],
            title=given.get("title") or "",
            project=given.get("project"),
            transcription={"save_document": given["saveTranscript"]},
            webhook_url=given["callbackUrl"],
            webhook_format="sasha",
            dialect="sasha",
        )
        return Response(outputs.started(bot), status=status.HTTP_201_CREATED)


class StopView(SashaView):
    def post(self, request):
        data = StopInput(data=request.data)
        data.is_valid(raise_exception=True)
        sasha_id = data.validated_data["meetingId"]
        bot = self.bot_for(sasha_id)
        if bot.status in (BotStatus.ENDED, BotStatus.FAILED):
            raise Conflict(f"Meeting {sasha_id} is not being transcribed any more.", code="meeting_over")
        services.bot_request_leave(bot=bot)
        return Response({"meetingId": sasha_id, "status": "stopping"})


class StatusView(SashaView):
    def get(self, request):
        bots = selectors.bot_list(organization=request.user.organization, filters={"status": ACTIVE})
        rows = [outputs.status_row(bot) for bot in bots.select_related("meeting").order_by("created_at")]
        return Response({"meetings": rows})


class TranscriptView(SashaView):
    def get(self, request, meeting_id: str):
        return Response(outputs.transcript(self.bot_for(meeting_id)))


class DocumentView(SashaView):
    def get(self, request, meeting_id: str):
        bot = self.bot_for(meeting_id)
        path = outputs.document_file(bot)
        if path is None:
            raise NotFound(NO_DOCUMENT, code="no_document")
        name = (bot.meeting.title or meeting_id).replace('"', "'").replace("/", "-")
        response = HttpResponse(path.read_bytes(), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.md"'
        return response
