"""Aitronos' paths (no trailing slash), under NOTULA_COMPAT_PREFIX_AITRONOS."""

from django.urls import path, re_path

from compat.aitronos import stream, views
from compat.aitronos.errors import aitronos_error_body
from compat.base import not_found_view

SESSIONS = "v1/meeting-buddy/sessions"

urlpatterns = [
    path(SESSIONS, views.SessionListView.as_view(), name="aitronos-sessions"),
    path(f"{SESSIONS}/<str:session_id>", views.SessionDetailView.as_view(), name="aitronos-session"),
    path(f"{SESSIONS}/<str:session_id>/stop", views.SessionStopView.as_view(), name="aitronos-stop"),
    path(f"{SESSIONS}/<str:session_id>/stream", stream.SessionStreamView.as_view(), name="aitronos-stream"),
    path(f"{SESSIONS}/<str:session_id>/transcripts", views.TranscriptListView.as_view(), name="aitronos-transcripts"),
    path("v1/meeting-buddy/analytics/active", views.ActiveSessionsView.as_view(), name="aitronos-active"),
    re_path(r"^(?P<rest>.*)$", not_found_view(aitronos_error_body)),
]
