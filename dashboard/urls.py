from django.contrib.auth import views as auth_views
from django.urls import path

from dashboard.views import account, bot_actions, bots, calendars, keys, meetings, simulator, transcription, webhooks

app_name = "dashboard"

urlpatterns = [
    path("", account.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organization/", account.switch_organization, name="switch-organization"),
    path("bots/", bots.bot_list_page, name="bots"),
    path("bots/<str:bot_id>/leave", bots.bot_leave, name="bot-leave"),
    path("bots/<str:bot_id>/say", bot_actions.bot_say, name="bot-say"),
    path("bots/<str:bot_id>/pause", bot_actions.bot_pause, name="bot-pause"),
    path("bots/<str:bot_id>/resume", bot_actions.bot_resume, name="bot-resume"),
    path("bots/<str:bot_id>/chat", bot_actions.bot_chat, name="bot-chat"),
    path("bots/<str:bot_id>/screenshot", bot_actions.bot_screenshot, name="bot-screenshot"),
    path("meetings/<str:meeting_id>/", meetings.meeting_page, name="meeting"),
    path("meetings/<str:meeting_id>/fragments/<str:name>", meetings.meeting_fragment, name="meeting-fragment"),
    path(
        "meetings/<str:meeting_id>/transcript.<str:fmt>",
        meetings.meeting_transcript_download,
        name="meeting-transcript",
    ),
    path("simulator/", simulator.simulator_page, name="simulator"),
    path("simulator/start", simulator.simulator_start, name="simulator-start"),
    path("simulator/<str:sim_id>/", simulator.simulator_meeting_page, name="simulator-meeting"),
    path("simulator/<str:sim_id>/state", simulator.simulator_meeting_state, name="simulator-state"),
    path("simulator/<str:sim_id>/<str:action>", simulator.simulator_control, name="simulator-control"),
    path("calendars/", calendars.calendar_list_page, name="calendars"),
    path("calendars/connect/<str:provider>", calendars.calendar_connect, name="calendar-connect"),
    path("calendars/callback/<str:provider>", calendars.calendar_callback, name="calendar-callback"),
    path("calendars/<str:calendar_id>/rules", calendars.calendar_rules, name="calendar-rules"),
    path("calendars/<str:calendar_id>/resync", calendars.calendar_resync, name="calendar-resync"),
    path("calendars/<str:calendar_id>/remove", calendars.calendar_remove, name="calendar-remove"),
    path("calendar-events/<str:event_id>/toggle", calendars.calendar_event_toggle, name="calendar-event-toggle"),
    path("keys/", keys.key_list_page, name="keys"),
    path("keys/<str:key_id>/revoke", keys.key_revoke, name="key-revoke"),
    path("transcription/", transcription.transcription_page, name="transcription"),
    path("transcription/keys", transcription.transcription_key_save, name="transcription-key-save"),
    path(
        "transcription/keys/<str:provider>/delete",
        transcription.transcription_key_remove,
        name="transcription-key-delete",
    ),
    path("transcription/default", transcription.transcription_default_save, name="transcription-default"),
    path("webhooks/", webhooks.webhook_list_page, name="webhooks"),
    path("webhooks/<str:endpoint_id>/edit", webhooks.webhook_edit_page, name="webhook-edit"),
    path("webhooks/<str:endpoint_id>/toggle", webhooks.webhook_toggle, name="webhook-toggle"),
    path("webhooks/<str:endpoint_id>/delete", webhooks.webhook_delete, name="webhook-delete"),
    path("webhooks/<str:endpoint_id>/test", webhooks.webhook_send_test, name="webhook-test"),
    path("deliveries/<str:delivery_id>/redeliver", webhooks.delivery_redeliver, name="delivery-redeliver"),
]
