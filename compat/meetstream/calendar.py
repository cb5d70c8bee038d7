"""MeetStream's calendar calls, served by Notula's calendars (calendars/): connect a Google calendar with
the integrator's OAuth client and refresh token, list the calendars and their upcoming events, send or
remove an event's bot by hand, disconnect. The bots a calendar sends are Notula's (native API) bots."""

from rest_framework import serializers, status
from rest_framework.response import Response

from calendars import by_hand, connect, selectors
from common.inputs import StrictFieldsMixin
from compat.meetstream.outputs import status_word
from compat.meetstream.views import MeetStreamView
from compat.times import iso_ms_z


class GoogleCalendarInput(StrictFieldsMixin, serializers.Serializer):
    google_client_id = serializers.CharField(max_length=500)
    google_client_secret = serializers.CharField(max_length=500)
    google_refresh_token = serializers.CharField(max_length=2000)


class DisconnectInput(StrictFieldsMixin, serializers.Serializer):
    calendar_id = serializers.CharField(max_length=32, required=False)


class ScheduleInput(StrictFieldsMixin, serializers.Serializer):
    bot_name = serializers.CharField(max_length=100, required=False)
    bot_message = serializers.CharField(max_length=1000, required=False, allow_blank=True)


def _calendar(calendar) -> dict:
    return {
        "calendar_id": calendar.id,
        "provider": calendar.provider,
        "email": calendar.email,
        "name": calendar.name,
        "status": calendar.state,
        "auto_schedule": calendar.auto_schedule,
        "created_at": iso_ms_z(calendar.created_at),
    }


def _event(event) -> dict:
    bot = event.bot
    return {
        "event_id": event.id,
        "calendar_id": event.calendar_id,
        "title": event.title,
        "start_time": iso_ms_z(event.start),
        "end_time": iso_ms_z(event.end),
        "meeting_link": event.meeting_url or None,
        "bot_scheduled": bot is not None,
        "bot_id": bot.id if bot is not None else None,
        "bot_status": status_word(bot) if bot is not None else None,
    }


class CalendarView(MeetStreamView):
    def get(self, request):
        calendars = selectors.calendar_list(organization=request.user.organization)
        return Response({"calendars": [_calendar(c) for c in calendars]})


class CreateGoogleCalendarView(MeetStreamView):
    field_names = {
        **MeetStreamView.field_names,
        "refresh_token": "google_refresh_token",
        "oauth_client_id": "google_client_id",
        "oauth_client_secret": "google_client_secret",
    }

    def post(self, request):
        data = GoogleCalendarInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        calendar = connect.calendar_connect_api(
            organization=request.user.organization,
            data={
                "provider": "google",
                "refresh_token": given["google_refresh_token"],
                "oauth_client_id": given["google_client_id"],
                "oauth_client_secret": given["google_client_secret"],
            },
        )
        return Response(_calendar(calendar), status=status.HTTP_201_CREATED)


class DisconnectView(MeetStreamView):
    """`{calendar_id}`; without it, the organization's only calendar (a 400 naming `calendar_id` when it
    has several)."""

    def post(self, request):
        data = DisconnectInput(data=request.data)
        data.is_valid(raise_exception=True)
        organization = request.user.organization
        calendar_id = data.validated_data.get("calendar_id")
        if calendar_id:
            calendar = selectors.calendar_get(organization=organization, calendar_id=calendar_id)
        else:
            calendars = list(selectors.calendar_list(organization=organization)[:2])
            if len(calendars) != 1:
                raise serializers.ValidationError({"calendar_id": ["required: name the calendar to disconnect"]})
            calendar = calendars[0]
        disconnected = calendar.id
        connect.calendar_delete(calendar=calendar)
        return Response({"calendar_id": disconnected, "status": "disconnected"})


class EventsView(MeetStreamView):
    def get(self, request):
        events = selectors.calendar_event_list(organization=request.user.organization)[:500]
        return Response({"events": [_event(e) for e in events]})


class ScheduleView(MeetStreamView):
    """Send the event's bot whatever the calendar's rules say (POST), or none (DELETE)."""

    def _answer(self, events):
        for event in events:
            event.refresh_from_db()
        return Response({"events": [_event(e) for e in events]})

    def post(self, request, event_id: str):
        data = ScheduleInput(data=request.data)
        data.is_valid(raise_exception=True)
        settings = {"bot_name": data.validated_data["bot_name"]} if "bot_name" in data.validated_data else {}
        if "bot_message" in data.validated_data:
            settings["entry_message"] = data.validated_data["bot_message"]
        event = selectors.calendar_event_get(organization=request.user.organization, event_id=event_id)
        return self._answer(by_hand.event_bot_want(event=event, wanted=True, settings=settings))

    def delete(self, request, event_id: str):
        event = selectors.calendar_event_get(organization=request.user.organization, event_id=event_id)
        return self._answer(by_hand.event_bot_want(event=event, wanted=False))
