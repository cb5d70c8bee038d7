"""`GET /bots/webhooks`, `/bots/webhooks/bot`, `/bots/webhooks/calendar`: what Notula's Meeting BaaS
webhooks carry (compat/meetingbaas/renderer.py), as JSON for the SDK's `get*WebhookDocumentation`."""

from rest_framework.response import Response

from compat.meetingbaas.status import ENDING_CODES, FAILED_ERRORS
from compat.meetingbaas.views import MeetingBaasView

HEADER = "x-meeting-baas-api-key: the API key the bot was sent with (an organization endpoint: its secret)"
CODES = sorted(
    {"joining_call", "in_waiting_room", "in_call_recording", "in_call_not_recording", "recording_paused"}
    | {"recording_resumed", "call_ended", *ENDING_CODES.values()}
)
BOT_EVENTS = {
    "bot.status_change": {
        "data": "{bot_id, status: {code, created_at, start_time?}}",
        "codes": CODES,
    },
    "failed": {
        "data": "{bot_id, event_uuid, error, message, extra}",
        "errors": sorted({*FAILED_ERRORS.values(), "internal_error"}),
    },
    "complete": {
        "data": "{bot_id, event_uuid, transcript: [{speaker, offset, start_time, end_time, words: [{start, end, "
        "word}]}], speakers, mp4, audio, extra}",
        "when": "post-processing is over: the transcript is complete and the recordings are stored",
    },
    "transcription_complete": {"data": "{bot_id}", "when": "a transcript is ready (the call's, a re-transcription's)"},
}
CALENDAR_EVENTS = {
    "calendar.sync_events": {
        "data": "{calendar_id, last_updated_ts, affected_event_uuids}",
        "when": "a calendar sync changed events; sent to organization endpoints in the meetingbaas format",
    },
}


def _documentation(events: dict) -> dict:
    return {"method": "POST", "content_type": "application/json", "header": HEADER, "body": "{event, data}",
            "events": events}  # fmt: skip


class AllWebhooksView(MeetingBaasView):
    def get(self, request):
        return Response(_documentation({**BOT_EVENTS, **CALENDAR_EVENTS}))


class BotWebhooksView(MeetingBaasView):
    def get(self, request):
        return Response(_documentation(BOT_EVENTS))


class CalendarWebhooksView(MeetingBaasView):
    def get(self, request):
        return Response(_documentation(CALENDAR_EVENTS))
