from django.urls import path

from bots.api import actions, views

urlpatterns = [
    path("bots", views.BotListView.as_view(), name="bot-list"),
    path("bots/<str:bot_id>", views.BotDetailView.as_view(), name="bot-detail"),
    path("bots/<str:bot_id>/leave", views.BotLeaveView.as_view(), name="bot-leave"),
    path("bots/<str:bot_id>/chat", actions.BotChatView.as_view(), name="bot-chat"),
    path("bots/<str:bot_id>/camera", actions.BotCameraView.as_view(), name="bot-camera"),
    path("bots/<str:bot_id>/screenshot", actions.BotScreenshotView.as_view(), name="bot-screenshot"),
    path("bots/<str:bot_id>/screenshots", actions.BotScreenshotListView.as_view(), name="bot-screenshots"),
]
