from django.urls import path

from bots.api import views

urlpatterns = [
    path("bots", views.BotListView.as_view(), name="bot-list"),
    path("bots/<str:bot_id>", views.BotDetailView.as_view(), name="bot-detail"),
    path("bots/<str:bot_id>/leave", views.BotLeaveView.as_view(), name="bot-leave"),
]
