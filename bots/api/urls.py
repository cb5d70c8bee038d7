from django.urls import path

from bots.api import action_views, actions, views

urlpatterns = [
    path("bots", views.BotListView.as_view(), name="bot-list"),
    path("bots/<str:bot_id>", views.BotDetailView.as_view(), name="bot-detail"),
    path("bots/<str:bot_id>/leave", views.BotLeaveView.as_view(), name="bot-leave"),
    path("bots/<str:bot_id>/speak", action_views.BotSpeakView.as_view(), name="bot-speak"),
    path("bots/<str:bot_id>/pause_recording", action_views.BotPauseRecordingView.as_view(), name="bot-pause"),
    path("bots/<str:bot_id>/resume_recording", action_views.BotResumeRecordingView.as_view(), name="bot-resume"),
    path("bots/<str:bot_id>/chat", actions.BotChatView.as_view(), name="bot-chat"),
    path("bots/<str:bot_id>/camera", actions.BotCameraView.as_view(), name="bot-camera"),
    path("bots/<str:bot_id>/screenshot", actions.BotScreenshotView.as_view(), name="bot-screenshot"),
    path("bots/<str:bot_id>/screenshots", actions.BotScreenshotListView.as_view(), name="bot-screenshots"),
]
