"""Meemo's upcoming calendar meetings from Notula's connected calendars (calendars/): the events still
to come, soonest first, each with the status of the bot it has (`upcoming` without one)."""

from rest_framework.response import Response

from calendars.models import Calendar, CalendarEvent
from calendars.selectors import calendar_event_list, calendar_list
from compat.meemo.ids import meemo_id
from compat.meemo.inputs import UpcomingQuery
from compat.meemo.queries import organization_check
from compat.meemo.status import BOT_MEETING_STATUS
from compat.meemo.views import MeemoView
from compat.times import iso_ms_z

DEFAULT_LIMIT = 10


def upcoming(event: CalendarEvent) -> dict:
    organization = event.calendar.organization
    return {
        "id": meemo_id(event.id),
        "organization_id": meemo_id(organization.id),
        "organization_name": organization.name,
        "event_id": event.provider_event_id,
        "start_time": iso_ms_z(event.start),
        "end_time": iso_ms_z(event.end),
        "status": BOT_MEETING_STATUS[event.bot.status] if event.bot else "upcoming",
    }


class UpcomingMeetingsView(MeemoView):
    query_params = {"get": UpcomingQuery}

    def get(self, request):
        organization = request.user.organization
        organization_check(organization, self.query.get("organization_id"))
        integrated = calendar_list(organization=organization).filter(state=Calendar.State.CONNECTED).exists()
        events = calendar_event_list(organization=organization).select_related("calendar__organization")
        rows = [upcoming(event) for event in events[: self.query.get("limit") or DEFAULT_LIMIT]]
        return Response({"integrated": integrated, "results": rows})
