"""MeetStream's paths, exactly as its clients send them (no trailing slash), under
NOTULA_COMPAT_PREFIX_MEETSTREAM."""

from django.urls import path, re_path

from compat.base import not_found_view
from compat.meetstream import actions, calendar, transcripts, views
from compat.meetstream.errors import meetstream_error_body

BOT = "api/v1/bots/<str:bot_id>/"

urlpatterns = [
    path("api/v1/bots/create_bot", views.CreateBotView.as_view(), name="meetstream-create"),
    path("api/v1/bots", views.BotListView.as_view(), name="meetstream-bots"),
    path(BOT + "status", views.StatusView.as_view(), name="meetstream-status"),
    path(BOT + "detail", views.DetailView.as_view(), name="meetstream-detail"),
    path(BOT + "get_participants", views.ParticipantsView.as_view(), name="meetstream-participants"),
    path(BOT + "get_chats", views.ChatsView.as_view(), name="meetstream-chats"),
    path(BOT + "remove_bot", views.RemoveView.as_view(), name="meetstream-remove"),
    path(BOT + "pause_recording", views.PauseView.as_view(), name="meetstream-pause"),
    path(BOT + "resume_recording", views.ResumeView.as_view(), name="meetstream-resume"),
    path(BOT + "send_message", actions.SendMessageView.as_view(), name="meetstream-send-message"),
    path(BOT + "send_image", actions.SendImageView.as_view(), name="meetstream-send-image"),
    path(BOT + "get_audio", actions.AudioView.as_view(), name="meetstream-audio"),
    path(BOT + "get_video", actions.VideoView.as_view(), name="meetstream-video"),
    path(BOT + "get_screenshots", actions.ScreenshotsView.as_view(), name="meetstream-screenshots"),
    path(BOT + "get_speaker_timeline", actions.SpeakerTimelineView.as_view(), name="meetstream-timeline"),
    path(BOT + "summary", actions.SummaryView.as_view(), name="meetstream-summary"),
    path(BOT + "delete", actions.DeleteView.as_view(), name="meetstream-delete"),
    path(BOT + "get_audio_streams", transcripts.AudioStreamsView.as_view(), name="meetstream-audio-streams"),
    path(BOT + "get_recording_streams", transcripts.RecordingStreamsView.as_view(), name="meetstream-streams"),
    path(BOT + "transcriptions", transcripts.TranscriptionsView.as_view(), name="meetstream-transcriptions"),
    path(BOT + "transcribe", transcripts.TranscribeView.as_view(), name="meetstream-transcribe"),
    path(
        "api/v1/transcript/<str:transcript_id>/get_transcript",
        views.TranscriptView.as_view(),
        name="meetstream-transcript",
    ),
    path("api/v1/calendar", calendar.CalendarView.as_view(), name="meetstream-calendars"),
    path(
        "api/v1/calendar/create_calendar",
        calendar.CreateGoogleCalendarView.as_view(),
        name="meetstream-calendar-google",
    ),
    path("api/v1/calendar/disconnect", calendar.DisconnectView.as_view(), name="meetstream-calendar-disconnect"),
    path("api/v1/calendar/events", calendar.EventsView.as_view(), name="meetstream-calendar-events"),
    path(
        "api/v1/calendar/schedule/<str:event_id>", calendar.ScheduleView.as_view(), name="meetstream-calendar-schedule"
    ),
    re_path(r"^(?P<rest>.*)$", not_found_view(meetstream_error_body)),
]
