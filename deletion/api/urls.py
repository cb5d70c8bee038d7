from django.urls import path

from deletion.api import views

urlpatterns = [
    path("bots/<str:bot_id>/delete_data", views.BotDeleteDataView.as_view(), name="bot-delete-data"),
    path("meetings/<str:meeting_id>/delete_data", views.MeetingDeleteDataView.as_view(), name="meeting-delete-data"),
    path("retention", views.RetentionView.as_view(), name="retention"),
]
