"""Live audio out: streams a bot's meeting audio to an integrator's WebSocket (`streaming.audio_url`).

Frames, in the order they were handed over:
- binary: 16 kHz mono PCM16 little-endian audio, as given to `send_audio` (the bot sends 100 ms chunks);
- text: JSON `[{"name", "id", "timestamp", "isSpeaking"}, ...]`, who is speaking, from `send_speakers`.

The connection runs in its own thread so the bot loop never waits on the network. While the
receiver is away, frames are kept (audio up to `buffer_s` seconds, oldest dropped first) and the
thread reconnects with exponential backoff and jitter; on reconnect the kept frames go first.
A frame in flight when the connection drops may be lost.

Every connection, the first and each reconnect, goes through `common.net.ws_connect`: the host is
resolved and checked again, and the socket is opened to the checked address. A refused address is
retried like a failed connection (DNS may change back), with the reason in `last_error`.
"""

import json
import logging
import random
import threading
import time
from collections import deque

from websockets.exceptions import WebSocketException

from common import net

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
BYTES_PER_SECOND = SAMPLE_RATE * 2


class AudioStreamer:
    def __init__(
        self,
        url: str,
        *,
        buffer_s: float = 5.0,
        backoff_initial_s: float = 0.25,
        backoff_max_s: float = 10.0,
        open_timeout_s: float = 5.0,
        headers: dict[str, str] | None = None,
        hello: str | None = None,
        subject: str = "streaming.audio_url",
    ):
        self.url = url
        # A text frame sent first on every connection (a receiver's protocol may start with one).
        self._hello = hello
        self._subject = subject
        self._buffer_limit = int(buffer_s * BYTES_PER_SECOND)
        self._backoff_initial = backoff_initial_s
        self._backoff_max = backoff_max_s
        self._open_timeout = open_timeout_s
        self._headers = headers or {}
        self._frames: deque[bytes | str] = deque()
        self._buffered_audio = 0
        self._cond = threading.Condition()
        self._closing = False
        self._stop_now = threading.Event()
        # Counters for logs and tests.
        self.connections = 0
        self.frames_sent = 0
        self.dropped_bytes = 0
        self.last_error = ""
        self._thread = threading.Thread(target=self._run, name="audio-stream", daemon=True)
        self._thread.start()

    def send_audio(self, pcm16: bytes) -> None:
        """Queue one chunk of 16 kHz mono PCM16 audio; never blocks."""
        if not pcm16:
            return
        with self._cond:
            self._frames.append(bytes(pcm16))
            self._buffered_audio += len(pcm16)
            while self._buffered_audio > self._buffer_limit:
                self._drop_oldest_audio()
            self._cond.notify()

    def send_text(self, text: str) -> None:
        """Queue one text frame; never blocks."""
        with self._cond:
            self._frames.append(text)
            self._cond.notify()

    def send_speakers(self, speakers: list[dict]) -> None:
        """Queue who is speaking: a list of {"name", "id", "timestamp", "isSpeaking"}."""
        frame = json.dumps(
            [
                {
                    "name": s.get("name", ""),
                    "id": s.get("id", ""),
                    "timestamp": s.get("timestamp", int(time.time() * 1000)),
                    "isSpeaking": bool(s.get("isSpeaking", s.get("is_speaking", False))),
                }
                for s in speakers
            ]
        )
        self.send_text(frame)

    def close(self, timeout: float = 5.0) -> None:
        """Send what is queued (for up to `timeout` seconds), then close the connection."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._stop_now.set()
            self._thread.join(1.0)

    def _drop_oldest_audio(self) -> None:
        for index, frame in enumerate(self._frames):
            if isinstance(frame, bytes):
                del self._frames[index]
                self._buffered_audio -= len(frame)
                self.dropped_bytes += len(frame)
                return

    def _next_frame(self) -> bytes | str | None:
        with self._cond:
            while not self._frames and not self._closing:
                self._cond.wait(0.5)
            if not self._frames:
                return None
            frame = self._frames.popleft()
            if isinstance(frame, bytes):
                self._buffered_audio -= len(frame)
            return frame

    def _put_back(self, frame: bytes | str) -> None:
        with self._cond:
            self._frames.appendleft(frame)
            if isinstance(frame, bytes):
                self._buffered_audio += len(frame)

    def _run(self) -> None:
        backoff = self._backoff_initial
        while not self._stop_now.is_set():
            with self._cond:
                if self._closing and not self._frames:
                    return
            try:
                ws = net.ws_connect(
                    self.url, subject=self._subject, open_timeout_s=self._open_timeout, headers=self._headers
                )
            except net.FetchError as exc:
                self.last_error = exc.message
                level = logging.WARNING if isinstance(exc, net.UrlRefused) else logging.INFO
                log.log(level, "Audio stream: %s; retrying in %.1f s", exc.message, backoff)
                if self._stop_now.wait(backoff * random.uniform(0.8, 1.2)):
                    return
                backoff = min(backoff * 2, self._backoff_max)
                continue
            self.connections += 1
            backoff = self._backoff_initial
            with ws:
                if self._hello is not None and not self._send_hello(ws):
                    if self._stop_now.wait(self._backoff_initial):
                        return
                    continue
                if self._pump(ws):
                    return

    def _send_hello(self, ws) -> bool:
        try:
            ws.send(self._hello)
        except (OSError, WebSocketException) as exc:
            log.info("Audio stream %s dropped at its first frame (%s); reconnecting", self.url, exc)
            return False
        return True

    def _pump(self, ws) -> bool:
        """Send frames until closing (True) or the connection breaks (False)."""
        while not self._stop_now.is_set():
            frame = self._next_frame()
            if frame is None:
                return True
            try:
                ws.send(frame)
            except (OSError, WebSocketException) as exc:
                self._put_back(frame)
                log.info("Audio stream %s dropped (%s); reconnecting", self.url, exc)
                return False
            self.frames_sent += 1
        return True
