from channels.auth import AuthMiddlewareStack
from django.urls import path

from dashboard.consumers import MeetingConsumer, OrganizationConsumer

# Session-authenticated; each consumer also checks that the page opening it is one of ours.
websocket_urlpatterns = [
    path("ws/dashboard/org", AuthMiddlewareStack(OrganizationConsumer.as_asgi())),
    path("ws/dashboard/meetings/<str:meeting_id>", AuthMiddlewareStack(MeetingConsumer.as_asgi())),
]
