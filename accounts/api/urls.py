from django.urls import path

from accounts.api import views
from accounts.api.transcription_default import TranscriptionDefaultView

urlpatterns = [
    path("bot_accounts", views.BotAccountListView.as_view(), name="bot-account-list"),
    path("bot_accounts/<str:account_id>", views.BotAccountDetailView.as_view(), name="bot-account-detail"),
    path("zoom_oauth_connections", views.ZoomConnectionListView.as_view(), name="zoom-connection-list"),
    path(
        "zoom_oauth_connections/<str:connection_id>",
        views.ZoomConnectionDetailView.as_view(),
        name="zoom-connection-detail",
    ),
    path("transcription_keys", views.TranscriptionKeyListView.as_view(), name="transcription-key-list"),
    path(
        "transcription_keys/<str:provider>", views.TranscriptionKeyDetailView.as_view(), name="transcription-key-detail"
    ),
    path("transcription_default", TranscriptionDefaultView.as_view(), name="transcription-default"),
]
