"""The Meeting BaaS v1 bot API: join, leave, meeting data, delete data, list, retranscribe,
screenshots. Thin: each view reads its input, calls the same service or selector as the native API,
and answers in Meeting BaaS's shapes (compat/meetingbaas/outputs.py)."""

from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from accounts.authentication import ApiKeyUser, raw_key_from_headers
from bots import selectors, services
from bots.models import BotStatus
from bots.screenshots import bot_screenshots
from common.media import media_link
from compat.base import DialectView
from compat.meetingbaas import outputs
from compat.meetingbaas.create import bot_create_from
from compat.meetingbaas.errors import meetingbaas_error_body
from compat.meetingbaas.ids import bot_id_from, uuid_for
from compat.meetingbaas.inputs import EmptyInput, JoinInput, MeetingDataQuery, RetranscribeInput
from compat.times import iso_ms_z
from deletion.models import DataDeletion
from deletion.services import data_delete
from meetings.transcripts.retranscribe import meeting_retranscribe

DELETE_STATUS = {
    DataDeletion.Outcome.DELETED: "deleted",
    DataDeletion.Outcome.PARTIALLY_DELETED: "partiallyDeleted",
    DataDeletion.Outcome.ALREADY_DELETED: "alreadyDeleted",
    DataDeletion.Outcome.NO_DATA: "noDataFound",
}
STOPPED = (BotStatus.LEAVING, BotStatus.POST_PROCESSING, BotStatus.ENDED, BotStatus.FAILED)


class MeetingBaasView(DialectView):
    error_body = staticmethod(meetingbaas_error_body)
    field_names = {
        "bot_image_url": "bot_image",
        "metadata": "extra",
        "join_at": "start_time",
        "zoom": "zoom_obf_token",
        "transcription": "transcription_custom_parameters",
    }

    def raw_key(self) -> str:
        """The API key as the client sent it: Meeting BaaS's webhooks carry it back."""
        return raw_key_from_headers(self.request.headers) or ""

    def bot_for(self, given: str):
        """The dialect's bot with this UUID; any other (another organization's, a native one) is a 404."""
        return selectors.bot_get(organization=self.request.user.organization, bot_id=bot_id_from(given))


class JoinView(MeetingBaasView):
    def post(self, request):
        data = JoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        bot = bot_create_from(
            data.validated_data,
            organization=request.user.organization,
            api_key=request.user.api_key,
            raw_key=self.raw_key(),
        )
        return Response({"bot_id": uuid_for(bot.id)})


class LeaveView(MeetingBaasView):
    """`DELETE /bots/{uuid}`: idempotent; a bot already leaving or over answers `ok` as it is."""

    def delete(self, request, uuid: str):
        bot = self.bot_for(uuid)
        if bot.status not in STOPPED:
            services.bot_request_leave(bot=bot)
        return Response({"ok": True})


class MeetingDataView(MeetingBaasView):
    query_params = {"get": MeetingDataQuery}

    def get(self, request):
        bot = self.bot_for(self.query["bot_id"])
        include = self.query["include_transcripts"]
        return Response(outputs.meeting_data(bot, include_transcripts=include, request=request))


class DeleteDataThrottle(SimpleRateThrottle):
    """The vendor's documented limit on `delete_data`: 5 requests a minute per API key (429 beyond)."""

    rate = "5/min"
    scope = "meetingbaas_delete_data"

    def get_cache_key(self, request, view):
        if isinstance(request.user, ApiKeyUser):
            return f"throttle_{self.scope}_{request.user.api_key.pk}"
        return None


class DeleteDataView(MeetingBaasView):
    def get_throttles(self):
        return [*super().get_throttles(), DeleteDataThrottle()]

    def post(self, request, uuid: str):
        EmptyInput(data=request.data or {}).is_valid(raise_exception=True)
        bot = self.bot_for(uuid)
        deletion = data_delete(
            meeting=bot.meeting,
            object_type="bot",
            object_id=bot.id,
            reason=DataDeletion.Reason.REQUEST,
            requested_by=f"api_key:{request.user.api_key.pk}",
        )
        status = DELETE_STATUS[deletion.outcome]
        return Response({"ok": status != "partiallyDeleted", "status": status})


class RetranscribeView(MeetingBaasView):
    """Transcribes the bot's recording again with Notula's ASR; `transcription_complete` follows."""

    def post(self, request):
        data = RetranscribeInput(data=request.data)
        data.is_valid(raise_exception=True)
        bot = self.bot_for(data.validated_data["bot_uuid"])
        meeting_retranscribe(meeting=bot.meeting)
        return Response(status=202)


class ScreenshotsView(MeetingBaasView):
    def get(self, request, uuid: str):
        bot = self.bot_for(uuid)
        return Response(
            [{"date": iso_ms_z(shot.taken_at), "url": media_link(shot.path, request=request)[0]}
             for shot in bot_screenshots(bot=bot)]
        )  # fmt: skip
