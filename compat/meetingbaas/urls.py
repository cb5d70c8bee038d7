"""Meeting BaaS v1's paths, exactly as `@meeting-baas/sdk` sends them (a trailing slash on `POST /bots/`
only), under NOTULA_COMPAT_PREFIX_MEETINGBAAS."""

from django.urls import path, re_path

from compat.base import not_found_view
from compat.meetingbaas import listing, views
from compat.meetingbaas.errors import meetingbaas_error_body

urlpatterns = [
    path("bots/", views.JoinView.as_view(), name="meetingbaas-join"),
    path("bots/meeting_data", views.MeetingDataView.as_view(), name="meetingbaas-meeting-data"),
    path("bots/bots_with_metadata", listing.BotsWithMetadataView.as_view(), name="meetingbaas-bots"),
    path("bots/retranscribe", views.RetranscribeView.as_view(), name="meetingbaas-retranscribe"),
    path("bots/<str:uuid>", views.LeaveView.as_view(), name="meetingbaas-leave"),
    path("bots/<str:uuid>/delete_data", views.DeleteDataView.as_view(), name="meetingbaas-delete-data"),
    path("bots/<str:uuid>/screenshots", views.ScreenshotsView.as_view(), name="meetingbaas-screenshots"),
    re_path(r"^(?P<rest>.*)$", not_found_view(meetingbaas_error_body)),
]
