import os

from daphne.http_protocol import WebRequest
from django.core.asgi import get_asgi_application

# Twisted parses multipart and form bodies itself before Daphne hands the request over, and answers one
# it cannot parse with a bare 400 (no body, no content type) that the application never sees. Django
# parses bodies itself, so Twisted's parse is only a second copy in memory and an answer in the wrong shape.
_web_request_init = WebRequest.__init__


def _init_without_form_parsing(self, *args, **kwargs):
    _web_request_init(self, *args, **kwargs)
    self._parsePOSTFormSubmission = False


WebRequest.__init__ = _init_without_form_parsing

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": URLRouter(websocket_urlpatterns),
    }
)
