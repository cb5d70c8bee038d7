from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import CreatedCursorPagination
from common.errors import ValidationError
from common.schema import error_response
from meetings import exports, selectors
from meetings.api.serializers import (
    EventPageOut,
    MeetingEventSerializer,
    MeetingImportInput,
    MeetingSerializer,
    OrganizationEventPageOut,
    OrganizationEventSerializer,
    ParticipantSerializer,
    RecordingSerializer,
    RecordingsOut,
    RetranscribeInput,
    RetranscribeOut,
    TranscriptOut,
)
from meetings.imports import meeting_import_create
from meetings.transcripts import meeting_retranscribe


def _meeting(request, meeting_id):
    return selectors.meeting_get(organization=request.user.organization, meeting_id=meeting_id)


class MeetingListView(APIView):
    pagination_class = CreatedCursorPagination

    @extend_schema(
        operation_id="meetings_list",
        parameters=[
            OpenApiParameter("cursor", OpenApiTypes.STR, description="the `next` or `previous` link's cursor"),
            OpenApiParameter("limit", OpenApiTypes.INT, description="page size, 1-200 (default 50)"),
        ],
        responses=MeetingSerializer(many=True),
    )
    def get(self, request):
        qs = selectors.meeting_list(organization=request.user.organization).prefetch_related("bots")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(
        operation_id="meetings_import",
        request={"application/json": MeetingImportInput, "multipart/form-data": MeetingImportInput},
        responses={201: MeetingSerializer},
        description="Create a meeting from an audio or video file (file_url or a multipart `file`) and "
        "transcribe it; `transcript.ready` is published when done, or the meeting ends `failed` with a reason.",
    )
    def post(self, request):
        data = MeetingImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = meeting_import_create(organization=request.user.organization, **data.validated_data)
        return Response(MeetingSerializer(meeting).data, status=201)


class MeetingDetailView(APIView):
    @extend_schema(operation_id="meetings_retrieve", responses=MeetingSerializer)
    def get(self, request, meeting_id: str):
        return Response(MeetingSerializer(_meeting(request, meeting_id)).data)


class MeetingTranscriptView(APIView):
    @extend_schema(
        operation_id="meetings_transcript",
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=list(exports.FORMATS), default="json")],
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
        fmt = request.query_params.get("format", "json")
        if fmt not in exports.FORMATS:
            raise ValidationError(
                f"Unknown transcript format '{fmt}'; use one of {', '.join(exports.FORMATS)}.",
                fields={"format": [f"one of {', '.join(exports.FORMATS)}"]},
            )
        segments = list(selectors.meeting_segments(meeting=meeting))
        if fmt == "json":
            return Response({"meeting_id": meeting.id, "segments": exports.render_json(meeting, segments)})
        response = HttpResponse(exports.render(meeting, segments, fmt), content_type=exports.FORMATS[fmt])
        response["Content-Disposition"] = f'inline; filename="{meeting.id}.{fmt}"'
        return response


class MeetingRetranscribeView(APIView):
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
        revision = meeting_retranscribe(meeting=meeting, **data.validated_data)
        return Response({"meeting_id": meeting.id, "revision": revision, "status": "processing"}, status=202)


class MeetingParticipantsView(APIView):
    @extend_schema(operation_id="meetings_participants", responses=ParticipantSerializer(many=True))
    def get(self, request, meeting_id: str):
        meeting = _meeting(request, meeting_id)
        participants = meeting.participants.prefetch_related("events")
        return Response(ParticipantSerializer(participants, many=True).data)


class MeetingEventsView(APIView):
    @extend_schema(
        operation_id="meetings_events",
        parameters=[
            OpenApiParameter("after", OpenApiTypes.INT, description="only events with a greater sequence"),
            OpenApiParameter("limit", OpenApiTypes.INT, description="at most this many (1-1000)"),
        ],
        responses=EventPageOut,
    )
    def get(self, request, meeting_id: str):
        meeting = _meeting(request, meeting_id)
        after = _int_param(request, "after", 0, 0, 2**62)
        limit = _int_param(request, "limit", 1000, 1, 1000)
        events = selectors.meeting_events_after(meeting=meeting, after=after, limit=limit)
        return Response(
            {
                "meeting_id": meeting.id,
                "after": after,
                "last_sequence": meeting.event_seq,
                "events": MeetingEventSerializer(events, many=True).data,
            }
        )


class OrganizationEventsView(APIView):
    @extend_schema(
        operation_id="events_list",
        parameters=[
            OpenApiParameter("after", OpenApiTypes.INT, description="only events with a greater sequence"),
            OpenApiParameter("limit", OpenApiTypes.INT, description="at most this many (1-1000)"),
        ],
        responses=OrganizationEventPageOut,
        description="The organization's own events (not tied to a meeting: `bot.created`, "
        "`webhook.endpoint_disabled`, ...), in order, with a gapless sequence per organization.",
    )
    def get(self, request):
        organization = request.user.organization
        after = _int_param(request, "after", 0, 0, 2**62)
        limit = _int_param(request, "limit", 1000, 1, 1000)
        events = selectors.organization_events_after(organization_id=organization.pk, after=after, limit=limit)
        return Response(
            {
                "organization_id": organization.pk,
                "after": after,
                "last_sequence": selectors.organization_last_sequence(organization=organization),
                "events": OrganizationEventSerializer(events, many=True).data,
            }
        )


class MeetingRecordingView(APIView):
    @extend_schema(operation_id="meetings_recording", responses=RecordingsOut)
    def get(self, request, meeting_id: str):
        meeting = _meeting(request, meeting_id)
        recordings = list(meeting.recordings.all())
        bot = meeting.bots.first()
        if recordings:
            state = "ready"
        elif bot is not None and bot.joined_at is not None and bot.status not in ("ended", "failed"):
            state = "pending"
        else:
            state = "none"
        data = RecordingSerializer(recordings, many=True, context={"request": request}).data
        return Response({"meeting_id": meeting.id, "status": state, "recordings": data})


def _int_param(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ValidationError(f"{name} must be an integer from {low} to {high}.", fields={name: ["bad integer"]})
    return value
