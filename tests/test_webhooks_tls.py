"""HTTPS webhooks: the connection goes to the checked address, TLS still names and verifies the host."""

import datetime
import ssl
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from common.net import http as net_http
from webhooks import transport


@pytest.fixture
def tls_receiver(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append((self.headers["Host"], self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    transport._pools.clear()
    yield server.server_address[1], str(cert_path), seen
    server.shutdown()
    server.server_close()
    transport._pools.clear()


def test_https_verifies_the_certificate_of_the_named_host(tls_receiver, monkeypatch):
    port, ca, seen = tls_receiver
    url = f"https://localhost:{port}/hook"
    untrusted = transport.post(url, body=b"{}", headers={})
    assert untrusted.status_code is None and "CERTIFICATE_VERIFY_FAILED" in untrusted.error
    assert seen == []
    transport._pools.clear()
    monkeypatch.setattr(net_http, "CA_CERTS", ca)
    trusted = transport.post(url, body=b'{"a":1}', headers={"Content-Type": "application/json"})
    assert trusted.ok and trusted.response_excerpt == "ok"
    assert seen == [(f"localhost:{port}", b'{"a":1}')]
