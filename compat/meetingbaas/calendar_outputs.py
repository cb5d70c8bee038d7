"""Meeting BaaS's calendar and event shapes (OpenAPI `Calendar`, `Event`, `BotParam`) from Notula's."""

from django.utils import timezone

from calendars.models import Calendar, CalendarEvent
from compat.meetingbaas.ids import uuid_for
from compat.times import iso_ms_z


def calendar(cal: Calendar) -> dict:
    return {
        "uuid": uuid_for(cal.id),
        "email": cal.email,
        # Google's calendar id (its address); Microsoft's default calendar has none: its owner's address.
        "google_id": cal.provider_calendar_id or cal.email,
        "name": cal.name,
        "resource_id": cal.push_resource_id or None,
    }


def _bot_param(event: CalendarEvent) -> dict | None:
    """The parameters of the bot sent (or to be sent) for the event; None when it gets none."""
    if event.bot_id is None and not event.bot_wanted:
        return None
    wanted = event.bot_settings or {}
    bot = event.bot
    leave = (wanted.get("automatic_leave") or {}) or ((bot.settings.get("automatic_leave") or {}) if bot else {})
    streaming = wanted.get("streaming") or {}
    return {
        "bot_name": wanted.get("bot_name") or (bot.bot_name if bot else event.calendar.bot_name) or "Notula",
        "bot_image": wanted.get("bot_image_url") or None,
        "deduplication_key": None,
        "enter_message": wanted.get("entry_message") or None,
        "extra": wanted.get("metadata") or {},
        "noone_joined_timeout": leave.get("noone_joined_timeout"),
        "waiting_room_timeout": leave.get("waiting_room_timeout"),
        "recording_mode": (wanted.get("recording") or {}).get("mode"),
        "speech_to_text_api_key": None,
        "speech_to_text_provider": "Default",
        "streaming_audio_frequency": "24khz" if streaming.get("input_sample_rate") == 24000 else None,
        "streaming_input": streaming.get("audio_url"),
        "streaming_output": streaming.get("input"),
        "transcription_custom_parameters": wanted.get("transcription") or {},
        "webhook_url": wanted.get("webhook_url") or "",
        "zoom_access_token_url": None,
        "zoom_obf_token": None,
        "zoom_obf_token_url": None,
        "zoom_obf_token_user_id": None,
        "zoom_sdk_id": None,
        "zoom_sdk_pwd": None,
    }


def event(ev: CalendarEvent) -> dict:
    email = ev.calendar.email.lower()
    return {
        "uuid": uuid_for(ev.id),
        "calendar_uuid": uuid_for(ev.calendar_id),
        "google_id": ev.provider_event_id,
        "name": ev.title,
        "meeting_url": ev.meeting_url,
        "start_time": iso_ms_z(ev.start),
        "end_time": iso_ms_z(ev.end),
        "last_updated_at": iso_ms_z(ev.updated_at or timezone.now()),
        "deleted": ev.is_deleted,
        "is_organizer": bool(email) and ev.organizer_email.lower() == email,
        "is_recurring": bool(ev.series_id),
        "recurring_event_id": ev.series_id or None,
        "attendees": [{"email": a.get("email") or "", "name": a.get("name") or None} for a in ev.attendees],
        "raw": {},
        "bot_param": _bot_param(ev),
    }
