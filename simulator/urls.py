from django.urls import path, re_path

from simulator import pages
from simulator.api import views

PAGE = r"^(?P<platform>google_meet|teams|zoom|webex)/(?P<code>[A-Za-z0-9_-]{1,100})"

urlpatterns = [
    path("api/meetings", views.MeetingListView.as_view(), name="sim-meeting-list"),
    path("api/meetings/<str:meeting_id>", views.MeetingDetailView.as_view(), name="sim-meeting-detail"),
    path("api/meetings/<str:meeting_id>/say", views.MeetingSayView.as_view(), name="sim-meeting-say"),
    path("api/meetings/<str:meeting_id>/participants", views.ParticipantAddView.as_view(), name="sim-participant-add"),
    path(
        "api/meetings/<str:meeting_id>/participants/<str:name>/leave",
        views.ParticipantLeaveView.as_view(),
        name="sim-participant-leave",
    ),
    path("api/meetings/<str:meeting_id>/<str:action>", views.MeetingControlView.as_view(), name="sim-meeting-control"),
    re_path(PAGE + r"/?$", pages.meeting_page, name="sim-page"),
    re_path(PAGE + r"/state$", pages.PageStateView.as_view(), name="sim-page-state"),
    re_path(PAGE + r"/knock$", pages.PageKnockView.as_view(), name="sim-page-knock"),
    re_path(PAGE + r"/media$", pages.PageMediaView.as_view(), name="sim-page-media"),
    re_path(PAGE + r"/camera$", pages.PageCameraView.as_view(), name="sim-page-camera"),
    re_path(PAGE + r"/chat$", pages.PageChatView.as_view(), name="sim-page-chat"),
    re_path(PAGE + r"/leave$", pages.PageLeaveView.as_view(), name="sim-page-leave"),
    re_path(PAGE + r"/audio/(?P<line_id>l\d{1,6})\.wav$", pages.PageAudioView.as_view(), name="sim-page-audio"),
]
