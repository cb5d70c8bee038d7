"""A Sasha callback receiver as an integrator writes one from seed 000: it takes the raw JSON body,
checks `X-Sasha-Signature` with the documentation's Python snippet (HMAC-SHA256 keyed with the
signing secret as text), and answers `{"received": true}`. It records every callback it got, in
arrival order, with its verdict."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify_signature(body: bytes, signature: str, secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature, expected)


class SashaReceiver:
    def __init__(self, secret: str):
        self.secret = secret
        self.callbacks: list[dict] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Type", "").split(";")[0] != "application/json":
                    return self._answer(400, {"error": "Invalid JSON"})  # what an express.raw route ends up with
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._answer(400, {"error": "Invalid JSON"})
                with receiver.lock:
                    receiver.callbacks.append(
                        {
                            "hmac": verify_signature(raw, self.headers.get("X-Sasha-Signature", ""), receiver.secret),
                            "event": self.headers.get("X-Sasha-Event"),
                            "meeting_header": self.headers.get("X-Sasha-Meeting-Id"),
                            "delivery_id": self.headers.get("X-Sasha-Delivery-Id"),
                            "body": body,
                        }
                    )
                self._answer(200, {"received": True})

            def _answer(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def of_type(self, event: str) -> list[dict]:
        with self.lock:
            return [c for c in self.callbacks if c["event"] == event]

    def close(self) -> None:
        self.server.shutdown()
