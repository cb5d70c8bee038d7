from django.urls import path

from bots.api import action_views, views

urlpatterns = [
    path("bots", views.BotListView.as_view(), name="bot-list"),
    path("bots/<str:bot_id>", views.BotDetailView.as_view(), name="bot-detail"),
    path("bots/<str:bot_id>/leave", views.BotLeaveView.as_view(), name="bot-leave"),
    path("bots/<str:bot_id>/speak", action_views.BotSpeakView.as_view(), name="bot-speak"),
    path("bots/<str:bot_id>/pause_recording", action_views.BotPauseRecordingView.as_view(), name="bot-pause"),
    path("bots/<str:bot_id>/resume_recording", action_views.BotResumeRecordingView.as_view(), name="bot-resume"),
]
