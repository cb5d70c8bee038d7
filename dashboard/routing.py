from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from dashboard.consumers import MeetingConsumer, OrganizationConsumer


def _session(consumer):
    # Session cookies ride along on cross-site WebSocket requests too: check the Origin.
    return AllowedHostsOriginValidator(AuthMiddlewareStack(consumer.as_asgi()))


websocket_urlpatterns = [
    path("ws/dashboard/org", _session(OrganizationConsumer)),
    path("ws/dashboard/meetings/<str:meeting_id>", _session(MeetingConsumer)),
]
