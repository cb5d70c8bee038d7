# WebSocket routes of every app.
from django.urls import path

from dashboard.routing import websocket_urlpatterns as dashboard_routes
from meetings.consumers import MeetingEventsConsumer, OrganizationEventsConsumer

websocket_urlpatterns: list = [
    path("ws/v1/meetings/<str:meeting_id>", MeetingEventsConsumer.as_asgi()),
    path("ws/v1/events", OrganizationEventsConsumer.as_asgi()),
    *dashboard_routes,
]
