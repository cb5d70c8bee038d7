"""A local server for ICS feeds, as calendar apps publish them at a secret address (RFC 5545 over HTTP):
`GET /<secret>.ics` answers `text/calendar` with an ETag and Last-Modified, 304 to a matching
If-None-Match or If-Modified-Since, and 404 once the address was withdrawn (as Google and Outlook do
when the secret address is reset). Run as its own process by the tests (tests/server_process.py), which
publish and withdraw feeds and read `log` (path, status) through its control API (tests/control_api.py).
"""

import email.utils
import hashlib
import http.server
import time

from tests.control_api import answer_control, is_control, serve


class IcsFeedServer:
    control_operations = ("publish", "withdraw", "log", "clear_log")

    def __init__(self, port: int = 0) -> None:
        self.feeds: dict[str, tuple[bytes, str, str]] = {}  # path -> (body, etag, last-modified)
        self.seen: list[tuple[str, int]] = []
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), self._handler())

    def log(self) -> list[tuple[str, int]]:
        return self.seen

    def clear_log(self) -> None:
        self.seen.clear()

    def publish(self, secret: str, body: str) -> str:
        raw = body.replace("\n", "\r\n").encode()
        etag = '"' + hashlib.sha256(raw).hexdigest()[:16] + '"'
        self.feeds[f"/{secret}.ics"] = (raw, etag, email.utils.formatdate(time.time(), usegmt=True))
        return f"http://127.0.0.1:{self.httpd.server_port}/{secret}.ics"

    def withdraw(self, secret: str) -> None:
        self.feeds.pop(f"/{secret}.ics", None)

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _status(self, status: int) -> None:
                server.seen.append((self.path, status))
                self.send_response(status)

            def do_POST(self):
                if is_control(self):
                    return answer_control(self, server)
                self._status(405)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                if is_control(self):
                    return answer_control(self, server)
                feed = server.feeds.get(self.path)
                if feed is None:
                    self._status(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                raw, etag, modified = feed
                if self.headers.get("If-None-Match") == etag or (
                    "If-None-Match" not in self.headers and self.headers.get("If-Modified-Since") == modified
                ):
                    self._status(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self._status(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        return Handler


if __name__ == "__main__":
    serve(IcsFeedServer)
