from django.urls import path

from meetings.api import chat, views

urlpatterns = [
    path("events", views.OrganizationEventsView.as_view(), name="organization-events"),
    path("meetings", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<str:meeting_id>", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<str:meeting_id>/transcript", views.MeetingTranscriptView.as_view(), name="meeting-transcript"),
    path(
        "meetings/<str:meeting_id>/retranscribe",
        views.MeetingRetranscribeView.as_view(),
        name="meeting-retranscribe",
    ),
    path(
        "meetings/<str:meeting_id>/participants",
        views.MeetingParticipantsView.as_view(),
        name="meeting-participants",
    ),
    path("meetings/<str:meeting_id>/chat", chat.MeetingChatView.as_view(), name="meeting-chat"),
    path("meetings/<str:meeting_id>/events", views.MeetingEventsView.as_view(), name="meeting-events"),
    path("meetings/<str:meeting_id>/recording", views.MeetingRecordingView.as_view(), name="meeting-recording"),
]
