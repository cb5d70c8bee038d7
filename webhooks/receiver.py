"""A small local webhook receiver, for development, tests and the benchmark.

    python -m webhooks.receiver --port 9000

prints each request it gets (event type, sequence, webhook-id). `Receiver` is the same server as a
class: it records every request and answers as told (`mode`: ok, error, slow), and can be stopped
and started on the same port to play a receiver that is down.
"""

import argparse
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    at: float
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    port: int = 0
    mode: str = "ok"  # ok | error (HTTP 500) | slow (answers after slow_s) | redirect (HTTP 302)
    slow_s: float = 2.0
    received: list[Received] = field(default_factory=list)
    on_request: object = None

    def __post_init__(self):
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do
            # Headers and body leave in two writes; with Nagle on, the second waits for the client's
            # delayed ACK (40 ms) on every keep-alive request.
            disable_nagle_algorithm = True

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                item = Received(time.time(), self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with receiver._lock:
                    receiver.received.append(item)
                if receiver.on_request:
                    receiver.on_request(item)
                mode = receiver.mode
                if mode == "slow":
                    time.sleep(receiver.slow_s)
                status = {"error": 500, "redirect": 302}.get(mode, 200)
                answer = b'{"received":true}' if status == 200 else b'{"error":"receiver says no"}'
                try:
                    self.send_response(status)
                    if status == 302:
                        self.send_header("Location", "/elsewhere")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the sender gave up waiting (timeout)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.received)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()

    def show(item: Received) -> None:
        try:
            event = item.json()
        except ValueError:
            event = {}
        print(
            f"{time.strftime('%H:%M:%S')} {event.get('type')} seq={event.get('sequence')} "
            f"id={item.headers.get('webhook-id') or item.headers.get('x-sasha-delivery-id')}",
            flush=True,
        )

    receiver = Receiver(port=args.port, on_request=show).start()
    print(f"Listening on {receiver.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        receiver.stop()


if __name__ == "__main__":
    main()
