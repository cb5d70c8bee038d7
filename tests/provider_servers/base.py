"""The HTTP side the local provider servers share: JSON in and out, the request log and the faults."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.provider_servers.speech import Faults, Model


class ProviderServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, *, api_key: str, model: Model):
        super().__init__(address, handler)
        self.api_key, self.model = api_key, model
        self.faults = Faults()
        self.store: dict = {}  # uploads and transcripts by id
        self.log: list[dict] = []  # each request: method, path, query, auth (what the tests check)
        self.lock = threading.Lock()


class JsonHandler(BaseHTTPRequestHandler):
    server: ProviderServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    @property
    def path_only(self) -> str:
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def record(self) -> None:
        entry = {
            "method": self.command,
            "path": self.path_only,
            "query": self.query,
            "auth": self.headers.get("Authorization"),
        }
        with self.server.lock:
            self.server.log.append(entry)

    def send_json(self, status: int, body: dict | list) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def control(self) -> bool:
        """The tests' hooks: POST /_faults sets the next failures, GET /_log is the request log."""
        if self.path_only == "/_faults" and self.command == "POST":
            self.server.faults.set(json.loads(self.body() or b"{}"))
            self.send_json(200, {"ok": True})
            return True
        if self.path_only == "/_log":
            with self.server.lock:
                self.send_json(200, list(self.server.log))
            return True
        return False
