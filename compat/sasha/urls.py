"""Sasha's paths, exactly as its clients send them (no trailing slash), under NOTULA_COMPAT_PREFIX_SASHA."""

from django.urls import path, re_path

from compat.base import not_found_view
from compat.sasha import projects, views
from compat.sasha.errors import sasha_error_body

urlpatterns = [
    path("api/v1/meetings/start", views.StartView.as_view(), name="sasha-start"),
    path("api/v1/meetings/stop", views.StopView.as_view(), name="sasha-stop"),
    path("api/v1/meetings/status", views.StatusView.as_view(), name="sasha-status"),
    path("api/v1/meetings/<str:meeting_id>/transcript", views.TranscriptView.as_view(), name="sasha-transcript"),
    path("api/v1/meetings/<str:meeting_id>/document", views.DocumentView.as_view(), name="sasha-document"),
    path("api/v1/projects", projects.ProjectListView.as_view(), name="sasha-projects"),
    path("api/v1/projects/<str:project>/meetings", projects.ProjectMeetingsView.as_view(), name="sasha-project"),
    re_path(r"^(?P<rest>.*)$", not_found_view(sasha_error_body)),
]
