from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts.api import ApiView
from bots.selectors import bot_get
from common.schema import error_response
from deletion.api.serializers import DataDeletionSerializer, RetentionInput, RetentionOut
from deletion.models import DataDeletion
from deletion.retention import retention_policy_get, retention_policy_set
from deletion.services import data_delete
from meetings.selectors import meeting_get

DELETE_DESCRIPTION = (
    "Delete the {what}'s media files (recordings, video, imported file, documents, debug files) and "
    "personal data (transcript, participants, title, summary, the event log's captions and names) now. "
    "An audit stub stays (ids, time, who asked, what was removed), and `data.deleted` is published. "
    "`status`: `deleted`, `partially_deleted` (`failed` names what is left; ask again), `already_deleted` "
    "or `no_data`. 409 while a bot of the meeting is still running or the meeting is being transcribed."
)


def _requested_by(request) -> str:
    return f"api_key:{request.user.api_key.pk}"


class BotDeleteDataView(ApiView):
    @extend_schema(
        operation_id="bots_delete_data",
        request=None,
        responses={200: DataDeletionSerializer, 409: error_response(409)},
        description=DELETE_DESCRIPTION.format(what="bot's meeting"),
    )
    def post(self, request, bot_id: str):
        bot = bot_get(organization=request.user.organization, bot_id=bot_id)
        deletion = data_delete(
            meeting=bot.meeting,
            object_type="bot",
            object_id=bot.id,
            reason=DataDeletion.Reason.REQUEST,
            requested_by=_requested_by(request),
        )
        return Response(DataDeletionSerializer(deletion).data)


class MeetingDeleteDataView(ApiView):
    @extend_schema(
        operation_id="meetings_delete_data",
        request=None,
        responses={200: DataDeletionSerializer, 409: error_response(409)},
        description=DELETE_DESCRIPTION.format(what="meeting"),
    )
    def post(self, request, meeting_id: str):
        meeting = meeting_get(organization=request.user.organization, meeting_id=meeting_id)
        deletion = data_delete(
            meeting=meeting,
            object_type="meeting",
            object_id=meeting.id,
            reason=DataDeletion.Reason.REQUEST,
            requested_by=_requested_by(request),
        )
        return Response(DataDeletionSerializer(deletion).data)


class RetentionView(ApiView):
    @extend_schema(
        operation_id="retention_retrieve",
        responses=RetentionOut,
        description="The organization's default retention (`forever` until set); a bot's own `retention` wins.",
    )
    def get(self, request):
        return Response(retention_policy_get(organization=request.user.organization))

    @extend_schema(
        operation_id="retention_update",
        request=RetentionInput,
        responses=RetentionOut,
        description='Set the organization\'s default retention: `{"type": "timed", "hours": N}` deletes '
        'a meeting\'s data N hours after it ended (an import: after it was created); `{"type": "forever"}`.',
    )
    def put(self, request):
        data = RetentionInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(retention_policy_set(organization=request.user.organization, **data.validated_data))
