"""HTTPS and WSS to the checked address: the certificate is checked against the URL's name, not the address."""

import pytest

from common import net
from common.net import http as net_http
from tests.net.servers import PUBLIC, HttpServer, Route, WsServer, tls_context

pytestmark = pytest.mark.usefixtures("production_rules")
NAME = "secure.example.test"


@pytest.fixture
def tls(tmp_path, dns):
    dns.set(NAME, PUBLIC)
    return tls_context(tmp_path, NAME)


def test_https_checks_the_certificate_of_the_name(tls, monkeypatch):
    context, ca = tls
    server = HttpServer(PUBLIC, tls=context)
    server.routes["/a"] = Route(body=b"secret")
    url = f"https://{NAME}:{server.port}/a"
    try:
        with pytest.raises(net.ConnectFailed, match="failed the TLS check: .*CERTIFICATE_VERIFY_FAILED"):
            net.fetch_bytes(url, subject="file_url", max_bytes=1000, timeout_s=5)
        monkeypatch.setattr(net_http, "CA_CERTS", ca)
        assert net.fetch_bytes(url, subject="file_url", max_bytes=1000, timeout_s=5) == b"secret"
        # The same address under another name: the certificate does not match it.
        with pytest.raises(net.ConnectFailed, match="TLS check"):
            net.fetch_bytes(f"https://{PUBLIC}:{server.port}/a", subject="file_url", max_bytes=1000, timeout_s=5)
    finally:
        server.stop()
    assert server.requests == [("GET", "/a", f"{NAME}:{server.port}", "")]


def test_wss_checks_the_certificate_of_the_name(tls, monkeypatch):
    context, ca = tls
    server = WsServer(PUBLIC, tls=context)
    url = f"wss://{NAME}:{server.port}/audio"
    try:
        with pytest.raises(net.ConnectFailed, match="failed the TLS check: .*CERTIFICATE_VERIFY_FAILED"):
            net.ws_connect(url, subject="streaming.audio_url", open_timeout_s=5)
        monkeypatch.setattr(net_http, "CA_CERTS", ca)
        with net.ws_connect(url, subject="streaming.audio_url", open_timeout_s=5) as ws:
            ws.send(b"frame")
    finally:
        server.stop()
    assert server.connections == 1 and server.hosts[-1] == f"{NAME}:{server.port}"
