"""The GL Meemo external API (seed 004, vendor-clients.md §4): the OAuth token, meetings, topics,
usage. Thin: each view reads the request, calls the same service or selector as the native API, and
answers in Meemo's words. Webhooks are in webhooks.py."""

from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from compat.base import DialectView
from compat.meemo import outputs, tokens
from compat.meemo.create import meeting_create_from
from compat.meemo.errors import meemo_error_body, oauth_error_body
from compat.meemo.ids import meemo_id
from compat.meemo.inputs import CreateMeetingInput, MeetingListQuery, OrganizationQuery, UsageQuery
from compat.meemo.queries import meeting_for, meetings_filtered, organization_check, page_of
from compat.meemo.topics import TOPICS
from compat.meemo.usage import usage_rows


class MeemoView(DialectView):
    error_body = staticmethod(meemo_error_body)
    authentication_classes = [tokens.MeemoTokenAuthentication]
    permission_classes = [tokens.HasAccessToken]
    # A service's field -> Meemo's: the only transcription option a Meemo create sets is the topic's language.
    field_names = {
        "meeting_url": "bot_meeting_url",
        "join_at": "bot_join_at",
        "language": "topic_id",
        "transcription": "topic_id",
    }

    def meeting(self, meeting_id: str):
        return meeting_for(self.request.user.organization, meeting_id)


class _OAuthView(APIView):
    """The token endpoints: form-encoded, no Authorization, OAuth 2's error words."""

    schema = None
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    parser_classes = [FormParser, JSONParser]

    def credentials(self, request, *names: str) -> tuple[list[str], Response | None]:
        values = [str(request.data.get(name) or "") for name in names]
        missing = [name for name, value in zip(names, values, strict=True) if not value]
        if missing:
            return values, Response(oauth_error_body("invalid_request", f"Missing {', '.join(missing)}."), status=400)
        return values, None


class TokenView(_OAuthView):
    def post(self, request):
        (grant, client_id, secret), refused = self.credentials(request, "grant_type", "client_id", "client_secret")
        if refused:
            return refused
        if grant != "client_credentials":
            return Response(oauth_error_body("unsupported_grant_type", "Use client_credentials."), status=400)
        answer = tokens.token_issue(client_id=client_id, client_secret=secret)
        if answer is None:
            body = oauth_error_body("invalid_client", "client_id is not the visible prefix of this API key.")
            return Response(body, status=401)
        return Response(answer, headers={"Cache-Control": "no-store"})


class RevokeTokenView(_OAuthView):
    def post(self, request):
        (client_id, secret, token), refused = self.credentials(request, "client_id", "client_secret", "token")
        if refused:
            return refused
        if not tokens.token_revoke(client_id=client_id, client_secret=secret, token=token):
            return Response(oauth_error_body("invalid_client", "Unknown client."), status=401)
        return Response({})


class MeetingsView(MeemoView):
    query_params = {"get": MeetingListQuery}

    def get(self, request):
        organization_check(request.user.organization, self.query.get("organization_id"))
        rows = meetings_filtered(request.user.organization, self.query)
        return Response(page_of(request, rows, self.query, outputs.list_item))

    def post(self, request):
        data = CreateMeetingInput(data=request.data)
        data.is_valid(raise_exception=True)
        organization_check(request.user.organization, data.validated_data["organization_id"])
        meeting = meeting_create_from(
            data.validated_data, organization=request.user.organization, api_key=request.user.api_key
        )
        return Response(outputs.detail(meeting), status=status.HTTP_201_CREATED)


class MeetingView(MeemoView):
    def get(self, request, meeting_id: str):
        return Response(outputs.detail(self.meeting(meeting_id)))


class ParticipantsView(MeemoView):
    def get(self, request, meeting_id: str):
        return Response(outputs.participants(self.meeting(meeting_id)))


class TranscriptView(MeemoView):
    def get(self, request, meeting_id: str):
        return Response(outputs.transcript(self.meeting(meeting_id)))


class SummaryView(MeemoView):
    def get(self, request, meeting_id: str):
        return Response(outputs.summary(self.meeting(meeting_id)))


class SummaryWithVideoView(MeemoView):
    def get(self, request, meeting_id: str):
        return Response(outputs.summary_with_video(self.meeting(meeting_id), request))


class RecordingView(MeemoView):
    def get(self, request, meeting_id: str):
        return Response(outputs.recording(self.meeting(meeting_id), request))


class TopicsView(MeemoView):
    query_params = {"get": OrganizationQuery}

    def get(self, request):
        organization_check(request.user.organization, self.query.get("organization_id"))
        return Response(TOPICS)


class UsageView(MeemoView):
    query_params = {"get": UsageQuery}

    def get(self, request):
        organization = request.user.organization
        organization_check(organization, self.query.get("organization_id"))
        return Response({"results": usage_rows(organization, self.query.get("start_date"), self.query.get("end_date"))})


class OrganizationsView(MeemoView):
    def get(self, request):
        organization = request.user.organization
        return Response([{"id": meemo_id(organization.id), "name": organization.name}])
