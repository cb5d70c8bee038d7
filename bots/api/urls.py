from django.urls import path

from bots.api import in_call, views, voice

urlpatterns = [
    path("bots", views.BotListView.as_view(), name="bot-list"),
    path("bots/<str:bot_id>", views.BotDetailView.as_view(), name="bot-detail"),
    path("bots/<str:bot_id>/leave", views.BotLeaveView.as_view(), name="bot-leave"),
    path("bots/<str:bot_id>/speak", voice.BotSpeakView.as_view(), name="bot-speak"),
    path("bots/<str:bot_id>/pause_recording", voice.BotPauseRecordingView.as_view(), name="bot-pause"),
    path("bots/<str:bot_id>/resume_recording", voice.BotResumeRecordingView.as_view(), name="bot-resume"),
    path("bots/<str:bot_id>/chat", in_call.BotChatView.as_view(), name="bot-chat"),
    path("bots/<str:bot_id>/camera", in_call.BotCameraView.as_view(), name="bot-camera"),
    path("bots/<str:bot_id>/screenshot", in_call.BotScreenshotView.as_view(), name="bot-screenshot"),
    path("bots/<str:bot_id>/screenshots", in_call.BotScreenshotListView.as_view(), name="bot-screenshots"),
]
