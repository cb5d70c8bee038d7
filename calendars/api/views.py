"""Calendars and their events: connect (an ICS URL or a refresh token), read, change rules, resync,
disconnect; an event's bot by hand (POST / PATCH / DELETE, optionally for all occurrences)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.api.base import ApiView
from calendars import by_hand, connect, selectors
from calendars.api.serializers import (
    AllOccurrencesQuery,
    CalendarCreateInput,
    CalendarEventListQuery,
    CalendarEventSerializer,
    CalendarSerializer,
    CalendarUpdateInput,
    EventBotInput,
)
from common.schema import error_response


class CalendarListView(ApiView):
    @extend_schema(operation_id="calendars_list", responses=CalendarSerializer(many=True))
    def get(self, request):
        calendars = selectors.calendar_list(organization=request.user.organization)
        return Response(CalendarSerializer(calendars, many=True).data)

    @extend_schema(
        operation_id="calendars_create",
        request=CalendarCreateInput,
        responses={201: CalendarSerializer, 502: error_response(502)},
        description="Connect a calendar: `provider` ics with `ics_url` (a secret address), or google / "
        "microsoft with `refresh_token`, `oauth_client_id` and `oauth_client_secret` (your OAuth client, "
        "offline access). It is read at once, then kept in sync.",
    )
    def post(self, request):
        data = CalendarCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        calendar = connect.calendar_connect_api(organization=request.user.organization, data=data.validated_data)
        return Response(CalendarSerializer(calendar).data, status=status.HTTP_201_CREATED)


class CalendarDetailView(ApiView):
    @extend_schema(operation_id="calendars_retrieve", responses=CalendarSerializer)
    def get(self, request, calendar_id: str):
        calendar = selectors.calendar_get(organization=request.user.organization, calendar_id=calendar_id)
        return Response(CalendarSerializer(calendar).data)

    @extend_schema(operation_id="calendars_update", request=CalendarUpdateInput, responses=CalendarSerializer)
    def patch(self, request, calendar_id: str):
        calendar = selectors.calendar_get(organization=request.user.organization, calendar_id=calendar_id)
        data = CalendarUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        calendar = connect.calendar_update(calendar=calendar, **data.validated_data)
        return Response(CalendarSerializer(calendar).data)

    @extend_schema(operation_id="calendars_destroy", responses={204: None})
    def delete(self, request, calendar_id: str):
        calendar = selectors.calendar_get(organization=request.user.organization, calendar_id=calendar_id)
        connect.calendar_delete(calendar=calendar)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CalendarResyncView(ApiView):
    @extend_schema(operation_id="calendars_resync", request=None, responses={202: CalendarSerializer})
    def post(self, request, calendar_id: str):
        from calendars.tasks import sync_calendar

        calendar = selectors.calendar_get(organization=request.user.organization, calendar_id=calendar_id)
        sync_calendar.delay(calendar.id, force=True)
        return Response(CalendarSerializer(calendar).data, status=status.HTTP_202_ACCEPTED)


class CalendarEventListView(ApiView):
    query_params = {"get": CalendarEventListQuery}

    @extend_schema(
        operation_id="calendar_events_list",
        parameters=[CalendarEventListQuery],
        responses=CalendarEventSerializer(many=True),
        description="Upcoming meetings of the organization's calendars, by start time (at most 500).",
    )
    def get(self, request):
        query = dict(self.query)
        query["include_deleted"] = query.get("include_deleted") == "true"
        events = selectors.calendar_event_list(organization=request.user.organization, **query)[:500]
        return Response(CalendarEventSerializer(events, many=True).data)


class CalendarEventDetailView(ApiView):
    @extend_schema(operation_id="calendar_events_retrieve", responses=CalendarEventSerializer)
    def get(self, request, event_id: str):
        event = selectors.calendar_event_get(organization=request.user.organization, event_id=event_id)
        return Response(CalendarEventSerializer(event).data)


class CalendarEventBotView(ApiView):
    query_params = {"post": AllOccurrencesQuery, "patch": AllOccurrencesQuery, "delete": AllOccurrencesQuery}

    def _event(self, request, event_id: str):
        return selectors.calendar_event_get(organization=request.user.organization, event_id=event_id)

    def _answer(self, events):
        return Response(CalendarEventSerializer([_fresh(e) for e in events], many=True).data)

    @extend_schema(
        operation_id="calendar_events_bot_create",
        parameters=[AllOccurrencesQuery],
        request=EventBotInput,
        responses={200: CalendarEventSerializer(many=True), 409: error_response(409)},
        description="Send a bot to this meeting (or every upcoming occurrence of its series), whatever the "
        "calendar's rules say. Answers the events affected.",
    )
    def post(self, request, event_id: str):
        data = EventBotInput(data=request.data)
        data.is_valid(raise_exception=True)
        events = by_hand.event_bot_want(
            event=self._event(request, event_id),
            wanted=True,
            all_occurrences=self.query.get("all_occurrences") == "true",
            settings=dict(data.validated_data),
        )
        return self._answer(events)

    @extend_schema(
        operation_id="calendar_events_bot_update",
        parameters=[AllOccurrencesQuery],
        request=EventBotInput,
        responses={200: CalendarEventSerializer(many=True)},
        description="Change the settings of the meeting's scheduled bot, and of the bots sent for it later.",
    )
    def patch(self, request, event_id: str):
        data = EventBotInput(data=request.data)
        data.is_valid(raise_exception=True)
        events = by_hand.event_bot_settings(
            event=self._event(request, event_id),
            settings=dict(data.validated_data),
            all_occurrences=self.query.get("all_occurrences") == "true",
        )
        return self._answer(events)

    @extend_schema(
        operation_id="calendar_events_bot_destroy",
        parameters=[AllOccurrencesQuery],
        responses={200: CalendarEventSerializer(many=True)},
        description="Remove the meeting's scheduled bot and send none by itself (a bot already joining stays).",
    )
    def delete(self, request, event_id: str):
        events = by_hand.event_bot_want(
            event=self._event(request, event_id),
            wanted=False,
            all_occurrences=self.query.get("all_occurrences") == "true",
        )
        return self._answer(events)


def _fresh(event):
    event.refresh_from_db()
    return event
