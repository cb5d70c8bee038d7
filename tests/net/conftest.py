"""Fixtures of the outbound-URL tests: server pairs, a resolver that changes its answer, production rules."""

import pytest

from tests.net.servers import FakeDns, HttpServer, WsServer, pair


@pytest.fixture
def http_pair():
    public, internal = pair(HttpServer)
    yield public, internal
    public.stop()
    internal.stop()


@pytest.fixture
def ws_pair():
    public, internal = pair(WsServer)
    yield public, internal
    public.stop()
    internal.stop()


@pytest.fixture
def dns(monkeypatch):
    return FakeDns(monkeypatch)


@pytest.fixture
def production_rules(settings):
    """The production check, with 127.0.0.1 alone counted as public (it plays the internet)."""
    settings.ALLOW_PRIVATE_URLS = False
    settings.ALLOW_METADATA_URLS = False
    settings.ALLOWED_PRIVATE_NETWORKS = ["127.0.0.1/32"]
