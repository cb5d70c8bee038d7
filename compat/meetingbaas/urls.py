"""Meeting BaaS v1's paths, exactly as `@meeting-baas/sdk` sends them (a trailing slash on `POST /bots/`,
`/calendars/`, `/calendar_events/` and `/zoom_oauth_connections/` only), under NOTULA_COMPAT_PREFIX_MEETINGBAAS."""

from django.urls import path, re_path

from compat.base import not_found_view
from compat.meetingbaas import calendar_events, calendars, listing, views, webhook_docs, zoom
from compat.meetingbaas.errors import meetingbaas_error_body

urlpatterns = [
    path("bots/", views.JoinView.as_view(), name="meetingbaas-join"),
    path("bots/meeting_data", views.MeetingDataView.as_view(), name="meetingbaas-meeting-data"),
    path("bots/bots_with_metadata", listing.BotsWithMetadataView.as_view(), name="meetingbaas-bots"),
    path("bots/retranscribe", views.RetranscribeView.as_view(), name="meetingbaas-retranscribe"),
    path("bots/webhooks", webhook_docs.AllWebhooksView.as_view(), name="meetingbaas-webhooks"),
    path("bots/webhooks/bot", webhook_docs.BotWebhooksView.as_view(), name="meetingbaas-webhooks-bot"),
    path("bots/webhooks/calendar", webhook_docs.CalendarWebhooksView.as_view(), name="meetingbaas-webhooks-calendar"),
    path("bots/<str:uuid>", views.LeaveView.as_view(), name="meetingbaas-leave"),
    path("bots/<str:uuid>/delete_data", views.DeleteDataView.as_view(), name="meetingbaas-delete-data"),
    path("bots/<str:uuid>/screenshots", views.ScreenshotsView.as_view(), name="meetingbaas-screenshots"),
    path("calendars/raw", calendars.RawCalendarsView.as_view(), name="meetingbaas-raw-calendars"),
    path("calendars/", calendars.CalendarsView.as_view(), name="meetingbaas-calendars"),
    path("calendars/resync_all", calendars.ResyncAllView.as_view(), name="meetingbaas-resync-all"),
    path("calendars/<str:uuid>", calendars.CalendarDetailView.as_view(), name="meetingbaas-calendar"),
    path("calendar_events/", calendar_events.EventListView.as_view(), name="meetingbaas-events"),
    path("calendar_events/<str:uuid>", calendar_events.EventDetailView.as_view(), name="meetingbaas-event"),
    path("calendar_events/<str:uuid>/bot", calendar_events.EventBotView.as_view(), name="meetingbaas-event-bot"),
    path("zoom_oauth_connections/", zoom.ConnectionsView.as_view(), name="meetingbaas-zoom-connections"),
    path("zoom_oauth_connections/<str:uuid>", zoom.ConnectionView.as_view(), name="meetingbaas-zoom-connection"),
    re_path(r"^(?P<rest>.*)$", not_found_view(meetingbaas_error_body)),
]
