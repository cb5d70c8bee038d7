"""Aitronos Meeting Buddy (seed 002): sessions create, get, list, stop, transcripts and active
analytics. Thin: each view calls the same service or selector as the native API."""

from rest_framework import status
from rest_framework.response import Response

from bots import selectors, services
from bots.models import BotStatus
from compat.aitronos import outputs
from compat.aitronos.errors import aitronos_error_body
from compat.aitronos.ids import bot_id_from
from compat.aitronos.inputs import SessionCreateInput, SessionListQuery
from compat.aitronos.status import BOT_STATUSES, LIVE, session_status
from compat.base import DialectView


class AitronosView(DialectView):
    error_body = staticmethod(aitronos_error_body)
    field_names = {"meeting_url": "meeting_link", "transcription": "transcription_language"}

    def bot_for(self, session: str):
        return selectors.bot_get(organization=self.request.user.organization, bot_id=bot_id_from(session))


class SessionListView(AitronosView):
    query_params = {"get": SessionListQuery}

    def post(self, request):
        data = SessionCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        bot = services.bot_create(
            organization=request.user.organization,
            api_key=request.user.api_key,
            meeting_url=given["meeting_link"],
            bot_name=given["bot_name"],
            transcription={"enabled": given["transcription_enabled"], "language": given["transcription_language"]},
            dialect="aitronos",
        )
        return Response(outputs.session(bot), status=status.HTTP_201_CREATED)

    def get(self, request):
        wanted = self.query.get("status")
        filters = {"status": BOT_STATUSES[wanted]} if wanted else {}
        bots = selectors.bot_list(organization=request.user.organization, filters=filters).select_related("meeting")
        sessions = [bot for bot in bots.order_by("-created_at") if not wanted or session_status(bot) == wanted]
        return Response([outputs.session(bot) for bot in sessions[: self.query["limit"]]])


class SessionDetailView(AitronosView):
    def get(self, request, session_id: str):
        return Response(outputs.session(self.bot_for(session_id)))

    def delete(self, request, session_id: str):
        return stop(self.bot_for(session_id))


class SessionStopView(AitronosView):
    def post(self, request, session_id: str):
        return stop(self.bot_for(session_id))


def stop(bot) -> Response:
    """Idempotent, as seed 002 says: stopping a finished session answers it as it is."""
    if bot.status not in (BotStatus.ENDED, BotStatus.FAILED):
        bot = services.bot_request_leave(bot=bot)
    return Response(outputs.session(bot))


class TranscriptListView(AitronosView):
    def get(self, request, session_id: str):
        return Response(outputs.transcripts(self.bot_for(session_id)))


class ActiveSessionsView(AitronosView):
    def get(self, request):
        statuses = [s for word in LIVE for s in BOT_STATUSES[word]]
        bots = selectors.bot_list(organization=request.user.organization, filters={"status": statuses})
        live = [bot for bot in bots.select_related("meeting").order_by("created_at") if session_status(bot) in LIVE]
        return Response([outputs.active(bot) for bot in live])
