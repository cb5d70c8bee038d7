# WebSocket routes; each app appends its consumers here.
from django.urls import path

from meetings.consumers import MeetingEventsConsumer

websocket_urlpatterns: list = [
    path("ws/v1/meetings/<str:meeting_id>", MeetingEventsConsumer.as_asgi()),
]
