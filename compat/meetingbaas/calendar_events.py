"""Meeting BaaS's calendar events (`/calendar_events/...`) on Notula's calendars/ app: list with the
vendor's filters and cursor, read one, and send, change or remove its bot (for one occurrence or
`all_occurrences` of a series) through the same by-hand services as the native API."""

import base64
import binascii
from datetime import UTC, datetime

from django.utils import timezone
from rest_framework.response import Response

from calendars import by_hand, selectors
from common.errors import ValidationError
from compat.meetingbaas import calendar_outputs as shapes
from compat.meetingbaas.calendar_inputs import AllOccurrencesQuery, EventBotInput, EventListQuery
from compat.meetingbaas.calendars import CalendarView
from compat.meetingbaas.create import bot_options
from compat.meetingbaas.ids import notula_id_from

PAGE = 50
# Meeting BaaS's names -> the bot options a PATCH may change.
PATCHABLE = {
    "bot_name": "bot_name",
    "entry_message": "entry_message",
    "extra": "metadata",
    "recording_mode": "recording",
    "automatic_leave": "automatic_leave",
    "transcription_custom_parameters": "transcription",
}
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def _page_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"events:{offset}".encode()).decode()


def _page_offset(cursor: str) -> int:
    try:
        kind, _, offset = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind == "events" and int(offset) >= 0:
            return int(offset)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise ValidationError("cursor: not a cursor this API gave.", fields={"cursor": ["not a cursor"]})


class EventListView(CalendarView):
    query_params = {"get": EventListQuery}

    def get(self, request):
        query = self.query
        calendar = self.calendar_for(query["calendar_id"])
        status = query["status"]
        events = selectors.calendar_event_list(
            organization=request.user.organization,
            calendar_id=calendar.id,
            start_after=None if status == "upcoming" else LONG_AGO,
            include_deleted=True,
        )
        if status == "past":
            events = events.filter(end__lte=timezone.now())
        if "start_date_gte" in query:
            events = events.filter(start__gte=query["start_date_gte"])
        if "start_date_lte" in query:
            events = events.filter(start__lte=query["start_date_lte"])
        if "updated_at_gte" in query:
            events = events.filter(updated_at__gte=query["updated_at_gte"])
        if "organizer_email" in query:
            events = events.filter(organizer_email__iexact=query["organizer_email"])
        rows = list(events)
        if "attendee_email" in query:
            # Filtered here: attendees is a JSON list, and not every database Notula runs on searches one.
            wanted = query["attendee_email"].lower()
            rows = [e for e in rows if any((a.get("email") or "").lower() == wanted for a in e.attendees)]
        offset = _page_offset(query["cursor"]) if "cursor" in query else 0
        page = rows[offset : offset + PAGE]
        more = len(rows) > offset + PAGE
        next_cursor = _page_cursor(offset + PAGE) if more else None
        return Response({"data": [shapes.event(e) for e in page], "next": next_cursor})


class EventDetailView(CalendarView):
    def event_for(self, given: str):
        event_id = notula_id_from("cev", given)
        return selectors.calendar_event_get(organization=self.request.user.organization, event_id=event_id)

    def get(self, request, uuid: str):
        return Response(shapes.event(self.event_for(uuid)))


class EventBotView(EventDetailView):
    query_params = {"post": AllOccurrencesQuery, "patch": AllOccurrencesQuery, "delete": AllOccurrencesQuery}

    def _settings(self, request, *, partial: bool) -> dict:
        data = EventBotInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        options = bot_options(
            {"bot_name": "", **given},
            organization=request.user.organization,
            raw_key=self.raw_key(),
        )
        if partial:
            # Only what the PATCH named changes, and only what a scheduled bot can still change
            # (calendars/scheduling.py BOT_SETTING_FIELDS); the rest is set when the bot is sent (POST).
            fixed = sorted(set(given) - set(PATCHABLE))
            if fixed:
                message = "set when the bot is sent (POST); PATCH changes " + ", ".join(sorted(PATCHABLE))
                raise ValidationError(f"{fixed[0]}: {message}.", fields={name: [message] for name in fixed})
            options = {PATCHABLE[k]: options[PATCHABLE[k]] for k in given}
        return {k: v for k, v in options.items() if v not in (None, "")}

    def _answer(self, events) -> Response:
        for event in events:
            event.refresh_from_db()
        return Response([shapes.event(e) for e in events])

    def post(self, request, uuid: str):
        settings = self._settings(request, partial=False)
        events = by_hand.event_bot_want(
            event=self.event_for(uuid),
            wanted=True,
            all_occurrences=self.query["all_occurrences"],
            settings=settings,
        )
        return self._answer(events)

    def patch(self, request, uuid: str):
        settings = self._settings(request, partial=True)
        events = by_hand.event_bot_settings(
            event=self.event_for(uuid), settings=settings, all_occurrences=self.query["all_occurrences"]
        )
        return self._answer(events)

    def delete(self, request, uuid: str):
        events = by_hand.event_bot_want(
            event=self.event_for(uuid), wanted=False, all_occurrences=self.query["all_occurrences"]
        )
        return self._answer(events)
