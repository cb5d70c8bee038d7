"""The control API: create a simulated meeting and act as its host. Scoped to the key's organization."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.api import ApiView
from common.errors import NotFound, PayloadTooLarge
from common.schema import error_response
from simulator import selectors, services
from simulator.accounts import sim_account_create
from simulator.api.serializers import (
    AccountInput,
    ChatInput,
    MeetingCreateInput,
    MeetingUploadInput,
    ParticipantInput,
    SayInput,
)
from simulator.chat import sim_participant_chat
from simulator.clips import MAX_CLIP_BYTES
from simulator.models import SimAccount, SimMeeting
from simulator.permissions import sim_meeting_allow_recording, sim_meeting_deny_recording

CONTROLS = {
    "admit": services.sim_meeting_admit,
    "deny": services.sim_meeting_deny,
    "remove_bot": services.sim_meeting_remove_bot,
    "end": services.sim_meeting_end,
    "allow_recording": sim_meeting_allow_recording,
    "deny_recording": sim_meeting_deny_recording,
}


class SimulatorView(ApiView):
    def initial(self, request, *args, **kwargs):
        if not settings.SIMULATOR_ENABLED:
            raise NotFound("The simulator is disabled on this server.")
        super().initial(request, *args, **kwargs)

    def base_url(self) -> str:
        return self.request.build_absolute_uri("/").rstrip("/")

    def get_meeting(self, meeting_id: str) -> SimMeeting:
        return selectors.sim_meeting_get(organization=self.request.user.organization, meeting_id=meeting_id)

    def view(self, meeting: SimMeeting) -> dict:
        return selectors.sim_meeting_view(meeting=meeting, base_url=self.base_url())


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _check_size(name: str, upload) -> None:
    """An uploaded clip is read into memory: only once it is known to be no bigger than a clip may be."""
    if upload.size > MAX_CLIP_BYTES:
        message = f"The file is {upload.size} bytes; at most {MAX_CLIP_BYTES}."
        raise PayloadTooLarge(message, code="upload_too_large", fields={name: [message]})


class MeetingListView(SimulatorView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(operation_id="simulator_meetings_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        meetings = SimMeeting.objects.filter(organization=request.user.organization)[:50]
        return Response({"data": [self.view(m) for m in meetings]})

    @extend_schema(
        operation_id="simulator_meetings_create",
        request={"application/json": MeetingCreateInput, "multipart/form-data": MeetingUploadInput},
        responses={201: OpenApiTypes.OBJECT, 413: error_response(413)},
        description="A JSON body, or a multipart one whose `scenario` is JSON text and whose other parts are "
        "audio files (wav, mp3, flac) that the script's lines name in `audio`.",
    )
    def post(self, request):
        clips = {}
        if request.content_type.startswith("multipart/"):
            # The files go to the scenario; the serializer reads the form fields only.
            data = _valid(MeetingUploadInput, request.POST)
            for name, upload in request.FILES.items():
                _check_size(name, upload)
            clips = {name: upload.read() for name, upload in request.FILES.items()}
        else:
            data = _valid(MeetingCreateInput, request.data)
        meeting = services.sim_meeting_create(
            organization=request.user.organization, platform=data["platform"], scenario=data["scenario"], clips=clips
        )
        return Response(self.view(meeting), status=201)


class MeetingDetailView(SimulatorView):
    @extend_schema(operation_id="simulator_meetings_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request, meeting_id):
        return Response(self.view(self.get_meeting(meeting_id)))


class MeetingControlView(SimulatorView):
    """POST .../admit, /deny, /remove_bot, /end, /allow_recording, /deny_recording."""

    @extend_schema(
        operation_id="simulator_meetings_control",
        request=None,
        responses={200: OpenApiTypes.OBJECT, 409: error_response(409)},
        description="`action`: admit, deny, remove_bot, end, allow_recording or deny_recording.",
    )
    def post(self, request, meeting_id, action):
        if action not in CONTROLS:
            raise NotFound(f"No such action {action!r}; use one of {sorted(CONTROLS)}.")
        meeting = CONTROLS[action](meeting=self.get_meeting(meeting_id))
        return Response(self.view(meeting))


class MeetingSayView(SimulatorView):
    @extend_schema(
        operation_id="simulator_meetings_say",
        request=SayInput,
        responses={201: OpenApiTypes.OBJECT, 409: error_response(409)},
    )
    def post(self, request, meeting_id):
        line = services.sim_meeting_say(meeting=self.get_meeting(meeting_id), **_valid(SayInput, request.data))
        return Response(line, status=201)


class MeetingChatView(SimulatorView):
    @extend_schema(
        operation_id="simulator_meetings_chat",
        request=ChatInput,
        responses={201: OpenApiTypes.OBJECT, 409: error_response(409)},
        description="A participant who is in the meeting writes `text` in its chat: to everyone, or with `to` "
        "to one participant or the bot only (Zoom and Webex, whose clients allow private messages).",
    )
    def post(self, request, meeting_id):
        message = sim_participant_chat(meeting=self.get_meeting(meeting_id), **_valid(ChatInput, request.data))
        return Response(message, status=201)


class ParticipantAddView(SimulatorView):
    @extend_schema(
        operation_id="simulator_participants_add",
        request=ParticipantInput,
        responses={201: OpenApiTypes.OBJECT, 409: error_response(409)},
    )
    def post(self, request, meeting_id):
        person = services.sim_participant_add(
            meeting=self.get_meeting(meeting_id), **_valid(ParticipantInput, request.data)
        )
        return Response(person, status=201)


class ParticipantLeaveView(SimulatorView):
    @extend_schema(operation_id="simulator_participants_leave", request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, meeting_id, name):
        person = services.sim_participant_leave(meeting=self.get_meeting(meeting_id), name=name)
        return Response(person)


def _account_view(account: SimAccount) -> dict:
    return {
        "provider": account.provider,
        "email": account.email,
        "display_name": account.display_name,
        "second_step": account.second_step,
        "sign_ins": account.sign_ins,
    }


class AccountListView(SimulatorView):
    """Users of the simulated Google and Microsoft sign-in pages."""

    @extend_schema(operation_id="simulator_accounts_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        accounts = SimAccount.objects.filter(organization=request.user.organization).order_by("-created_at")[:100]
        return Response({"data": [_account_view(a) for a in accounts]})

    @extend_schema(
        operation_id="simulator_accounts_create",
        request=AccountInput,
        responses={201: OpenApiTypes.OBJECT, 409: error_response(409)},
    )
    def post(self, request):
        account = sim_account_create(organization=request.user.organization, **_valid(AccountInput, request.data))
        return Response(_account_view(account), status=201)
