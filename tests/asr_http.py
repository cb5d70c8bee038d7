"""Local HTTP servers for the tests: static files, and an OpenAI-compatible chat endpoint."""

import json
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_directory(directory) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class ChatServer(ThreadingHTTPServer):
    """Answers POST /v1/chat/completions with `reply` (a dict, sent as the message's JSON content)."""

    def __init__(self, reply: dict | None, status: int = 200):
        super().__init__(("127.0.0.1", 0), _ChatHandler)
        self.reply, self.status, self.requests = reply, status, []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _ChatHandler(BaseHTTPRequestHandler):
    server: ChatServer

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        if self.server.status != 200 or self.path != "/v1/chat/completions":
            self.send_response(self.server.status if self.server.status != 200 else 404)
            self.end_headers()
            return
        content = json.dumps(self.server.reply)
        data = json.dumps(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def serve_chat(reply: dict | None, status: int = 200) -> ChatServer:
    server = ChatServer(reply, status)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
