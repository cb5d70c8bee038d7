from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiRequest, OpenApiResponse, extend_schema
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.api import ApiView
from accounts.transcription_default import transcription_options_with_default
from common.api import CreatedCursorPagination
from common.schema import error_response
from meetings import exports, selectors
from meetings.api.serializers import (
    ASR_BACKEND_CHOICES,
    EventPageOut,
    EventsQuery,
    MeetingEventSerializer,
    MeetingImportInput,
    MeetingImportUrlInput,
    MeetingListQuery,
    MeetingSerializer,
    OrganizationEventPageOut,
    OrganizationEventSerializer,
    ParticipantSerializer,
    RecordingSerializer,
    RecordingsOut,
    RetranscribeInput,
    RetranscribeOut,
    TranscriptOut,
    TranscriptQuery,
)
from meetings.imports import meeting_import_create
from meetings.transcripts import meeting_retranscribe


def _meeting(request, meeting_id):
    return selectors.meeting_get(organization=request.user.organization, meeting_id=meeting_id)


class MeetingListView(ApiView):
    pagination_class = CreatedCursorPagination
    parser_classes = [JSONParser, MultiPartParser]
    query_params = {"get": MeetingListQuery}

    @extend_schema(
        operation_id="meetings_list",
        parameters=[MeetingListQuery],
        responses=MeetingSerializer(many=True),
        description="Newest first, a page at a time (`next` / `previous` links). Filters combine with AND.",
    )
    def get(self, request):
        filters = {k: v for k, v in self.query.items() if k not in ("cursor", "limit")}
        qs = selectors.meeting_list(organization=request.user.organization, filters=filters).prefetch_related("bots")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(MeetingSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="meetings_import",
        request={
            "application/json": MeetingImportUrlInput,
            "multipart/form-data": OpenApiRequest(
                MeetingImportInput, encoding={"file": {"contentType": "audio/*, video/*"}}
            ),
        },
        responses={201: MeetingSerializer},
        examples=[
            OpenApiExample(
                "A file by URL",
                value={"file_url": "https://files.example.com/call.mp3", "title": "Weekly", "language": "auto"},
                request_only=True,
                media_type="application/json",
            )
        ],
        description="Create a meeting from an audio or video file (file_url or a multipart `file`) and "
        "transcribe it; `speaker_count` (1..N or auto) labels the segments Speaker 1..N by diarization; "
        "`transcript.ready` is published when done, or the meeting ends `failed` with a reason.",
    )
    def post(self, request):
        multipart = request.content_type.startswith("multipart/")
        serializer = MeetingImportInput if multipart else MeetingImportUrlInput
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = request.user.organization
        options = transcription_options_with_default(
            organization=organization, options=data.validated_data, usable=tuple(ASR_BACKEND_CHOICES)
        )
        meeting = meeting_import_create(organization=organization, **options)
        return Response(MeetingSerializer(meeting, context={"request": request}).data, status=201)


class MeetingDetailView(ApiView):
    @extend_schema(operation_id="meetings_retrieve", responses=MeetingSerializer)
    def get(self, request, meeting_id: str):
        return Response(MeetingSerializer(_meeting(request, meeting_id), context={"request": request}).data)


class MeetingTranscriptView(ApiView):
    query_params = {"get": TranscriptQuery}

    @extend_schema(
        operation_id="meetings_transcript",
        parameters=[TranscriptQuery],
        responses={
            (200, "application/json"): OpenApiResponse(TranscriptOut, description="format=json (the default)"),
            **{
                (200, media.split(";")[0]): OpenApiResponse(OpenApiTypes.STR, description=f"format={fmt}")
                for fmt, media in exports.FORMATS.items()
                if fmt != "json"
            },
        },
    )
    def get(self, request, meeting_id: str):
        meeting = _meeting(request, meeting_id)
        fmt = self.query["format"]
        segments = list(selectors.meeting_segments(meeting=meeting))
        if fmt == "json":
            return Response({"meeting_id": meeting.id, "segments": exports.render_json(meeting, segments)})
        response = HttpResponse(exports.render(meeting, segments, fmt), content_type=exports.FORMATS[fmt])
        response["Content-Disposition"] = f'inline; filename="{meeting.id}.{fmt}"'
        return response


class MeetingRetranscribeView(ApiView):
    @extend_schema(
        operation_id="meetings_retranscribe",
        request=RetranscribeInput,
        responses={202: RetranscribeOut, 409: error_response(409)},
        description="Re-run the whole recording with another backend, model or language as a new revision; "
        "`transcript.ready` is published when it is done.",
    )
    def post(self, request, meeting_id: str):
        meeting = _meeting(request, meeting_id)
        data = RetranscribeInput(data=request.data)
        data.is_valid(raise_exception=True)
        options = transcription_options_with_default(
            organization=meeting.organization, options=data.validated_data, usable=tuple(ASR_BACKEND_CHOICES)
        )
        revision = meeting_retranscribe(meeting=meeting, **options)
        return Response({"meeting_id": meeting.id, "revision": revision, "status": "processing"}, status=202)


class MeetingParticipantsView(ApiView):
    @extend_schema(operation_id="meetings_participants", responses=ParticipantSerializer(many=True))
    def get(self, request, meeting_id: str):
        meeting = _meeting(request, meeting_id)
        participants = meeting.participants.prefetch_related("events")
        return Response(ParticipantSerializer(participants, many=True).data)


class MeetingEventsView(ApiView):
    query_params = {"get": EventsQuery}

    @extend_schema(operation_id="meetings_events", parameters=[EventsQuery], responses=EventPageOut)
    def get(self, request, meeting_id: str):
        meeting = _meeting(request, meeting_id)
        after, limit = self.query["after"], self.query["limit"]
        events = selectors.meeting_events_after(meeting=meeting, after=after, limit=limit)
        return Response(
            {
                "meeting_id": meeting.id,
                "after": after,
                "last_sequence": meeting.event_seq,
                "events": MeetingEventSerializer(events, many=True).data,
            }
        )


class OrganizationEventsView(ApiView):
    query_params = {"get": EventsQuery}

    @extend_schema(
        operation_id="events_list",
        parameters=[EventsQuery],
        responses=OrganizationEventPageOut,
        description="The organization's own events (not tied to a meeting: `bot.created`, "
        "`webhook.endpoint_disabled`, ...), in order, with a gapless sequence per organization.",
    )
    def get(self, request):
        organization = request.user.organization
        after, limit = self.query["after"], self.query["limit"]
        events = selectors.organization_events_after(organization_id=organization.pk, after=after, limit=limit)
        return Response(
            {
                "organization_id": organization.pk,
                "after": after,
                "last_sequence": selectors.organization_last_sequence(organization=organization),
                "events": OrganizationEventSerializer(events, many=True).data,
            }
        )


class MeetingRecordingView(ApiView):
    @extend_schema(operation_id="meetings_recording", responses=RecordingsOut)
    def get(self, request, meeting_id: str):
        meeting = _meeting(request, meeting_id)
        recordings = list(selectors.meeting_recordings(meeting=meeting))
        bot = meeting.bots.first()
        if recordings:
            state = "ready"
        elif bot is not None and bot.joined_at is not None and bot.status not in ("ended", "failed"):
            state = "pending"
        else:
            state = "none"
        data = RecordingSerializer(recordings, many=True, context={"request": request}).data
        return Response({"meeting_id": meeting.id, "status": state, "recordings": data})
