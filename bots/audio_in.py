"""Live audio in: a bot with `streaming.input` (a ws:// or wss:// URL, as Meeting BaaS has it) connects
to it once in the call and plays what it receives into the meeting through its microphone.

Binary frames are 16-bit little-endian mono PCM at `streaming.input_sample_rate` (16000 or 24000 Hz);
text frames are ignored. A reader thread collects them so the page loop never waits on the network;
each tick hands what came to the microphone (bots/microphone.py), which plays it right after what it
is already playing. The connection goes through the outbound check (`common.net.ws_connect`) and is
retried with backoff when it drops. The microphone is unmuted from the first audio on.
"""

import logging
import threading
import time

from websockets.exceptions import WebSocketException

from bots import microphone
from common import net

log = logging.getLogger(__name__)

RATES = (16000, 24000)
# Audio kept while the page loop is busy (oldest dropped first): a few seconds at 24 kHz.
BUFFER_BYTES = 24000 * 2 * 5
BACKOFF_INITIAL_S, BACKOFF_MAX_S = 0.5, 10.0
# Live audio is not queued behind itself for longer than this: after a stall the delay comes back down
# (what arrived meanwhile is cut), instead of every later word staying late.
LIVE_MAX_QUEUED_MS = 400


class AudioInput:
    def __init__(self, url: str, rate: int) -> None:
        self.url = url
        self.rate = rate
        self.frames = 0
        self.dropped_bytes = 0
        self.last_error = ""
        self._pending = bytearray()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._socket = None
        self._thread = threading.Thread(target=self._run, name="audio-in", daemon=True)
        self._thread.start()

    def take(self) -> bytes:
        """The PCM received since the last call."""
        with self._lock:
            data = bytes(self._pending)
            self._pending.clear()
        return data

    def close(self) -> None:
        self._stop.set()
        socket = self._socket
        if socket is not None:
            try:
                socket.close()
            except Exception:
                pass
        self._thread.join(timeout=5)

    def _run(self) -> None:
        backoff = BACKOFF_INITIAL_S
        while not self._stop.is_set():
            try:
                self._socket = net.ws_connect(self.url, subject="streaming.input", open_timeout_s=5)
                backoff = BACKOFF_INITIAL_S
                self._receive(self._socket)
            except (net.FetchError, WebSocketException, OSError) as exc:
                self.last_error = getattr(exc, "message", None) or str(exc) or type(exc).__name__
                log.info("streaming.input %s: %s; trying again in %.1f s", self.url, self.last_error, backoff)
            finally:
                self._socket = None
            self._stop.wait(backoff)
            backoff = min(backoff * 2, BACKOFF_MAX_S)

    def _receive(self, socket) -> None:
        for message in socket:
            if self._stop.is_set():
                return
            if not isinstance(message, bytes):
                continue
            self.frames += 1
            with self._lock:
                self._pending.extend(message[: len(message) - len(message) % 2])
                excess = len(self._pending) - BUFFER_BYTES
                if excess > 0:
                    del self._pending[:excess]
                    self.dropped_bytes += excess


def audio_input_for(bot) -> AudioInput | None:
    streaming = bot.settings.get("streaming") or {}
    url = streaming.get("input")
    if not url:
        return None
    return AudioInput(url, int(streaming.get("input_sample_rate") or RATES[0]))


class LiveInput:
    """Per tick: what the socket brought, into the microphone; the microphone on from the first audio."""

    def __init__(self, source: AudioInput, speaker) -> None:
        self.source = source
        self.speaker = speaker
        self.started_at: float | None = None

    def tick(self, driver) -> None:
        pcm = self.source.take()
        if not pcm:
            return
        if self.started_at is None:
            self.started_at = time.monotonic()
            self.speaker.keep_microphone_on()
        microphone.push(driver, pcm, self.source.rate, max_queued_ms=LIVE_MAX_QUEUED_MS)
