"""The server side of RFC 6455 on a `BaseHTTPRequestHandler`: the upgrade handshake and frames.

The providers serve HTTP and WebSocket on one host (`/v1/listen` is both at Deepgram), so the local
servers do too: a GET with `Upgrade: websocket` becomes a socket on the same port.
"""

import base64
import hashlib
import json
import struct
from http.server import BaseHTTPRequestHandler

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA


class Closed(Exception):
    """The client closed the socket (or it dropped)."""


def is_upgrade(handler: BaseHTTPRequestHandler) -> bool:
    return (handler.headers.get("Upgrade") or "").lower() == "websocket"


class ServerSocket:
    def __init__(self, handler: BaseHTTPRequestHandler):
        self.rfile, self.wfile, self.connection = handler.rfile, handler.wfile, handler.connection

    @classmethod
    def accept(cls, handler: BaseHTTPRequestHandler) -> "ServerSocket":
        key = handler.headers["Sec-WebSocket-Key"]
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        handler.send_response(101, "Switching Protocols")
        handler.send_header("Upgrade", "websocket")
        handler.send_header("Connection", "Upgrade")
        handler.send_header("Sec-WebSocket-Accept", accept)
        handler.end_headers()
        handler.close_connection = True
        return cls(handler)

    def _read(self, count: int) -> bytes:
        data = self.rfile.read(count)
        if len(data) < count:
            raise Closed("the client went away")
        return data

    def receive(self) -> tuple[int, bytes]:
        """The next data message: (TEXT or BINARY, payload); answers pings; Closed on a close frame."""
        while True:
            first, second = self._read(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                (length,) = struct.unpack(">H", self._read(2))
            elif length == 127:
                (length,) = struct.unpack(">Q", self._read(8))
            mask = self._read(4) if second & 0x80 else b""
            payload = self._read(length)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == CLOSE:
                self.close(1000, "")
                raise Closed("the client closed the socket")
            if opcode == PING:
                self._send_frame(PONG, payload)
                continue
            if opcode in (TEXT, BINARY):
                return opcode, payload

    def behind(self) -> bool:
        """More from the client is waiting already: an interim result now would be stale."""
        import select

        return bool(select.select([self.connection], [], [], 0)[0])

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        head = bytes([0x80 | opcode])
        if len(payload) < 126:
            head += bytes([len(payload)])
        elif len(payload) < 65536:
            head += bytes([126]) + struct.pack(">H", len(payload))
        else:
            head += bytes([127]) + struct.pack(">Q", len(payload))
        self.wfile.write(head + payload)
        self.wfile.flush()

    def send_json(self, message: dict) -> None:
        self._send_frame(TEXT, json.dumps(message).encode())

    def close(self, code: int, reason: str) -> None:
        try:
            self._send_frame(CLOSE, struct.pack(">H", code) + reason.encode()[:120])
        except OSError:
            pass

    def drop(self) -> None:
        """End the TCP connection without a close frame (a dropped socket)."""
        import socket

        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
