"""A "public" and an "internal" server for the outbound-URL tests, and a resolver that changes its answer.

Both servers listen on the same port: the public one on 127.0.0.1, the internal one on 127.0.0.2 (both
loopback on Linux). The tests count 127.0.0.1/32 as public (`ALLOWED_PRIVATE_NETWORKS`) and everything
else by the production rules, so a request that reaches the internal server is one the check let through.
"""

import datetime
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.sync.server import serve

PUBLIC, INTERNAL = "127.0.0.1", "127.0.0.2"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: int = 0  # > 0: send the body this many times, chunked, with no Content-Length
    delay_s: float = 0.0  # between chunks


class HttpServer:
    """Answers every method from `routes` (path -> Route; 404 otherwise) and records what it got."""

    def __init__(self, address: str, port: int = 0, tls: ssl.SSLContext | None = None):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str, str, str]] = []  # method, path, Host, Authorization
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                server.requests.append(
                    (self.command, self.path, self.headers.get("Host", ""), self.headers.get("Authorization", ""))
                )
                route = server.routes.get(self.path, Route(404, b"not here"))
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                try:
                    self._send_body(route)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client stopped reading (a size or time cap)

            def _send_body(self, route: Route):
                if route.chunks:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for _ in range(route.chunks):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(route.body), route.body))
                        self.wfile.flush()
                        threading.Event().wait(route.delay_s)
                    self.wfile.write(b"0\r\n\r\n")
                    return
                if "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((address, port), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def pair(make):
    """(public, internal) made by `make(address, port)` on one port number."""
    for _ in range(20):
        public = make(PUBLIC, 0)
        try:
            return public, make(INTERNAL, public.port)
        except OSError:  # that port is taken on 127.0.0.2: another pair
            public.stop()
    raise RuntimeError("no port free on both 127.0.0.1 and 127.0.0.2")


class WsServer:
    """Records each connection's binary frames; closes a connection after `drop_after` frames if set."""

    def __init__(self, address: str, port: int = 0, tls: ssl.SSLContext | None = None):
        self.connections = 0
        self.hosts: list[str] = []
        self.frames: list[bytes] = []
        self.drop_after: int | None = None
        self.redirect_to: str | None = None
        self.server = serve(self._handle, address, port, process_request=self._process_request, ssl=tls)
        self.port = self.server.socket.getsockname()[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _process_request(self, connection, request):
        self.hosts.append(request.headers.get("Host", ""))
        if self.redirect_to:
            response = connection.respond(302, "moved\n")
            response.headers["Location"] = self.redirect_to
            return response
        return None

    def _handle(self, ws):
        self.connections += 1
        count = 0
        for message in ws:
            self.frames.append(message)
            count += 1
            if self.drop_after is not None and count >= self.drop_after:
                ws.close()
                return

    def stop(self) -> None:
        self.server.shutdown()


class FakeDns:
    """socket.getaddrinfo for made-up names: each lookup takes the next answer (the last one repeats).

    An answer is one address, several joined by commas, or "" for a name that does not resolve.
    """

    def __init__(self, monkeypatch):
        self.answers: dict[str, list[str]] = {}
        self.lookups: list[str] = []
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            name = host.decode() if isinstance(host, bytes) else host
            if name not in self.answers:
                return real(host, port, *args, **kwargs)
            self.lookups.append(name)
            queue = self.answers[name]
            answer = queue.pop(0) if len(queue) > 1 else queue[0]
            if not answer:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            infos = []
            for address in answer.split(","):
                family = socket.AF_INET6 if ":" in address else socket.AF_INET
                sockaddr = (address, port or 0, 0, 0) if family == socket.AF_INET6 else (address, port or 0)
                infos.append((family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
            return infos

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    def set(self, name: str, *addresses: str) -> None:
        self.answers[name] = list(addresses)


def tls_context(directory: Path, name: str) -> tuple[ssl.SSLContext, str]:
    """A server TLS context with a self-signed certificate for `name`, and the certificate's path (the CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context, str(cert_path)
