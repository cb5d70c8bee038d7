"""GL Meemo's paths, exactly as its SDK sends them (every one ends with `/`), under
NOTULA_COMPAT_PREFIX_MEEMO."""

from django.urls import path, re_path

from compat.base import not_found_view
from compat.meemo import calendar, views, webhooks
from compat.meemo.errors import meemo_error_body

EXTERNAL = "api/v1/external/"
MEETING = EXTERNAL + "meeting/<str:meeting_id>/"

urlpatterns = [
    path("api/auth/token/", views.TokenView.as_view(), name="meemo-token"),
    path("api/auth/revoke-token/", views.RevokeTokenView.as_view(), name="meemo-revoke-token"),
    path(EXTERNAL + "meeting/", views.MeetingsView.as_view(), name="meemo-meetings"),
    path(MEETING, views.MeetingView.as_view(), name="meemo-meeting"),
    path(MEETING + "participants/", views.ParticipantsView.as_view(), name="meemo-participants"),
    path(MEETING + "transcript/", views.TranscriptView.as_view(), name="meemo-transcript"),
    path(MEETING + "summary/", views.SummaryView.as_view(), name="meemo-summary"),
    path(MEETING + "summary-with-video/", views.SummaryWithVideoView.as_view(), name="meemo-summary-video"),
    path(MEETING + "recording/", views.RecordingView.as_view(), name="meemo-recording"),
    path(EXTERNAL + "calendar/upcoming-meetings/", calendar.UpcomingMeetingsView.as_view(), name="meemo-upcoming"),
    path(EXTERNAL + "topics/", views.TopicsView.as_view(), name="meemo-topics"),
    path(EXTERNAL + "usage/", views.UsageView.as_view(), name="meemo-usage"),
    path(EXTERNAL + "webhooks/available-organizations/", views.OrganizationsView.as_view(), name="meemo-organizations"),
    path(EXTERNAL + "webhooks/", webhooks.WebhooksView.as_view(), name="meemo-webhooks"),
    path(EXTERNAL + "webhooks/<str:webhook_id>/", webhooks.WebhookView.as_view(), name="meemo-webhook"),
    path(EXTERNAL + "webhook-events/", webhooks.WebhookEventsView.as_view(), name="meemo-webhook-events"),
    path(EXTERNAL + "webhook-events/<str:event_id>/", webhooks.WebhookEventView.as_view(), name="meemo-webhook-event"),
    re_path(r"^(?P<rest>.*)$", not_found_view(meemo_error_body)),
]
