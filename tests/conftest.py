from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.services import api_key_create, organization_get_or_create


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate-limit counters live in Redis; every test starts with fresh ones.
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    # The channel layer is one object per process, and its receive lock belongs to the event loop that
    # first waited on it: a consumer left receiving in an earlier test's loop would break the next
    # test's WebSocket. Every test gets a layer of its own (created on first use).
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield


class KeyedClient(APIClient):
    """An API client that sends one organization's key, with the key data on the side."""

    def __init__(self, issued, **kwargs):
        super().__init__(**kwargs)
        self.issued = issued
        self.organization = issued.api_key.organization
        self.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")


def make_client(org_name: str) -> KeyedClient:
    organization = organization_get_or_create(name=org_name)
    return KeyedClient(api_key_create(organization=organization))


@pytest.fixture
def api(db) -> KeyedClient:
    return make_client("Acme")


@pytest.fixture
def other_api(db) -> KeyedClient:
    return make_client("Globex")


@pytest.fixture
def anon(db) -> APIClient:
    return APIClient()


@pytest.fixture(params=["one_statement", "portable"])
def writer(request, monkeypatch):
    """PostgreSQL publishes in one statement; other databases in several. Both must pick the same
    endpoints, so the portable path also runs here, on PostgreSQL."""
    from meetings.events import outbox

    if request.param == "portable":
        monkeypatch.setattr(outbox, "_write_in_one_statement", outbox._write_portable)
    return request.param


@pytest.fixture(scope="session")
def speech(tmp_path_factory):
    """Three speakers reading the meeting script (espeak-ng), with when each line was spoken."""
    from tests.asr_script import render_cached

    return render_cached(tmp_path_factory.mktemp("speech"))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def pages():
    """tests/pages/ over HTTP: the small meeting page engine tests drive (tests/engine_adapter.py)."""
    from tests.asr_http import serve_directory

    server = serve_directory(Path(__file__).parent / "pages")
    yield f"http://127.0.0.1:{server.server_port}/meeting.html"
    server.shutdown()
