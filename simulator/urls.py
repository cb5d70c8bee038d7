from django.urls import path, re_path

from simulator import door_pages, heard, pages, signin_pages
from simulator.api import views

PAGE = r"^(?P<platform>google_meet|teams|zoom|webex)/(?P<code>[A-Za-z0-9_-]{1,100})"
ZOOM_ID = r"(?P<number>\d{9,11})"

# Each platform's own path layout (docs/simulator.md, "Front doors"); before the meeting pages, whose
# `<platform>/<id>/<action>` they would otherwise shadow.
front_doors = [
    re_path(r"^zoom/(?P<kind>j|w|s)/" + ZOOM_ID + r"/?$", door_pages.zoom_launcher, name="sim-zoom-launcher"),
    re_path(r"^zoom/my/(?P<vanity>[A-Za-z0-9._-]{3,64})/?$", door_pages.zoom_personal, name="sim-zoom-personal"),
    re_path(r"^zoom/wc/join/" + ZOOM_ID + r"/?$", door_pages.zoom_web_client, name="sim-zoom-web-client"),
    re_path(r"^zoom/wc/" + ZOOM_ID + r"/(?:join|start)/?$", door_pages.zoom_web_client),
    re_path(
        r"^teams/l/meetup-join/(?P<thread>[^/]+)/(?P<message>\d+)/?$",
        door_pages.teams_meetup_join,
        name="sim-teams-meetup-join",
    ),
    re_path(r"^teams/dl/launcher/launcher\.html$", door_pages.teams_launcher, name="sim-teams-launcher"),
    re_path(r"^teams/meet/(?P<meet_id>\d{6,20})/?$", door_pages.teams_meet, name="sim-teams-meet"),
    re_path(r"^teams/light-meetings/launch/?$", door_pages.teams_light, name="sim-teams-light"),
    re_path(r"^teams/(?:v2/?|_)$", door_pages.teams_client, name="sim-teams-client"),
    re_path(r"^webex/(?:meet|join)/(?P<room>[A-Za-z0-9._-]{1,100})/?$", door_pages.webex_launcher),
    re_path(r"^webex/(?:(?P<site>[A-Za-z0-9_-]+)/)?j\.php$", door_pages.webex_launcher, name="sim-webex-jphp"),
    re_path(
        r"^webex/wbxmjs/joinservice/sites/(?P<site>[A-Za-z0-9_-]+)/meeting/download/(?P<key>[0-9a-f]{32})/?$",
        door_pages.webex_web_app,
        name="sim-webex-web-app",
    ),
]

# The simulated Google and Microsoft sign-in (docs/simulator.md, "Signed-in guests").
sign_in = [
    path("google/signin", signin_pages.google_signin, name="sim-google-signin"),
    path("microsoft/login", signin_pages.microsoft_login, name="sim-microsoft-login"),
    re_path(r"^(?P<provider>google|microsoft)/account$", signin_pages.account_page, name="sim-account"),
]

urlpatterns = (
    front_doors
    + sign_in
    + [
        path("api/accounts", views.AccountListView.as_view(), name="sim-account-list"),
        path("api/meetings", views.MeetingListView.as_view(), name="sim-meeting-list"),
        path("api/meetings/<str:meeting_id>", views.MeetingDetailView.as_view(), name="sim-meeting-detail"),
        path("api/meetings/<str:meeting_id>/say", views.MeetingSayView.as_view(), name="sim-meeting-say"),
        path("api/meetings/<str:meeting_id>/heard", heard.MeetingHeardView.as_view(), name="sim-meeting-heard"),
        path("api/meetings/<str:meeting_id>/chat", views.MeetingChatView.as_view(), name="sim-meeting-chat"),
        path(
            "api/meetings/<str:meeting_id>/participants", views.ParticipantAddView.as_view(), name="sim-participant-add"
        ),
        path(
            "api/meetings/<str:meeting_id>/participants/<str:name>/leave",
            views.ParticipantLeaveView.as_view(),
            name="sim-participant-leave",
        ),
        path(
            "api/meetings/<str:meeting_id>/<str:action>", views.MeetingControlView.as_view(), name="sim-meeting-control"
        ),
        re_path(PAGE + r"/?$", pages.meeting_page, name="sim-page"),
        re_path(PAGE + r"/state$", pages.PageStateView.as_view(), name="sim-page-state"),
        re_path(PAGE + r"/knock$", pages.PageKnockView.as_view(), name="sim-page-knock"),
        re_path(PAGE + r"/media$", pages.PageMediaView.as_view(), name="sim-page-media"),
        re_path(PAGE + r"/camera$", pages.PageCameraView.as_view(), name="sim-page-camera"),
        re_path(PAGE + r"/heard$", heard.PageHeardView.as_view(), name="sim-page-heard"),
        re_path(PAGE + r"/chat$", pages.PageChatView.as_view(), name="sim-page-chat"),
        re_path(PAGE + r"/leave$", pages.PageLeaveView.as_view(), name="sim-page-leave"),
        re_path(PAGE + r"/record$", pages.PageRecordView.as_view(), name="sim-page-record"),
        re_path(PAGE + r"/audio/(?P<line_id>l\d{1,6})\.wav$", pages.PageAudioView.as_view(), name="sim-page-audio"),
    ]
)
