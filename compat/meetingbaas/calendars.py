"""Meeting BaaS's calendars (`/calendars/...`) on Notula's calendars/ app: list the raw calendars of a
refresh token, connect, read, reconnect (PATCH), disconnect, resync all. The same services as the
native calendar API; calendars and events are named by UUID (compat/meetingbaas/ids.py)."""

from django.conf import settings
from rest_framework.response import Response

from calendars import connect, selectors
from calendars.providers.registry import provider_calendars
from calendars.sync import calendar_sync
from common.errors import ValidationError
from compat.meetingbaas import calendar_outputs as shapes
from compat.meetingbaas.calendar_inputs import CreateCalendarInput, OAuthInput, ResyncQuery
from compat.meetingbaas.ids import notula_id_from
from compat.meetingbaas.inputs import EmptyInput
from compat.meetingbaas.views import MeetingBaasView


def _connect_data(given: dict) -> dict:
    """The native connect's input from Meeting BaaS's OAuth body. A Meeting BaaS calendar sends a bot
    only to the events it is asked to (POST /calendar_events/{uuid}/bot): no rule sends one by itself."""
    return {
        "auto_schedule": False,
        "provider": given["platform"],
        "refresh_token": given["oauth_refresh_token"],
        "oauth_client_id": given["oauth_client_id"],
        "oauth_client_secret": given["oauth_client_secret"],
        **({"raw_calendar_id": given["raw_calendar_id"]} if given.get("raw_calendar_id") else {}),
    }


class CalendarView(MeetingBaasView):
    field_names = {**MeetingBaasView.field_names, "refresh_token": "oauth_refresh_token", "provider": "platform"}

    def calendar_for(self, given: str):
        calendar_id = notula_id_from("cal", given)
        return selectors.calendar_get(organization=self.request.user.organization, calendar_id=calendar_id)


class RawCalendarsView(CalendarView):
    def post(self, request):
        data = OAuthInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        credentials = {
            "refresh_token": given["oauth_refresh_token"],
            "client_id": given["oauth_client_id"],
            "client_secret": given["oauth_client_secret"],
        }
        return Response({"calendars": provider_calendars(given["platform"], credentials)})


class CalendarsView(CalendarView):
    def get(self, request):
        calendars = selectors.calendar_list(organization=request.user.organization)
        return Response([shapes.calendar(cal) for cal in calendars.exclude(provider="ics")])

    def post(self, request):
        data = CreateCalendarInput(data=request.data)
        data.is_valid(raise_exception=True)
        organization = request.user.organization
        calendar = connect.calendar_connect_api(organization=organization, data=_connect_data(data.validated_data))
        return Response({"calendar": shapes.calendar(calendar)})


class CalendarDetailView(CalendarView):
    def get(self, request, uuid: str):
        return Response(shapes.calendar(self.calendar_for(uuid)))

    def patch(self, request, uuid: str):
        """New OAuth credentials for the same calendar (Meeting BaaS's only change to a calendar)."""
        calendar = self.calendar_for(uuid)
        data = OAuthInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = {**data.validated_data, "raw_calendar_id": calendar.provider_calendar_id}
        if given["platform"] != calendar.provider:
            raise ValidationError("platform: a calendar keeps its platform.", fields={"platform": ["cannot change"]})
        calendar = connect.calendar_connect_api(organization=request.user.organization, data=_connect_data(given))
        return Response({"calendar": shapes.calendar(calendar)})

    def delete(self, request, uuid: str):
        connect.calendar_delete(calendar=self.calendar_for(uuid))
        return Response(status=200)


class ResyncAllView(CalendarView):
    query_params = {"post": ResyncQuery}

    def post(self, request):
        EmptyInput(data=request.data or {}).is_valid(raise_exception=True)
        days = self.query.get("days")
        if days is not None and days != settings.CALENDAR_SYNC_DAYS_AHEAD:
            message = f"calendars are read {settings.CALENDAR_SYNC_DAYS_AHEAD} days ahead on this server"
            raise ValidationError(f"days: {message}.", fields={"days": [message]})
        synced, errors = [], []
        for calendar in selectors.calendar_list(organization=request.user.organization).exclude(provider="ics"):
            outcome = calendar_sync(calendar.id, force=True)
            if outcome.error:
                errors.append([shapes.calendar(calendar)["uuid"], outcome.error])
            else:
                synced.append(shapes.calendar(calendar)["uuid"])
        return Response({"synced_calendars": synced, "errors": errors})
