"""speaker_view: the meeting page as video. CDP `Page.startScreencast` sends JPEG frames only when
the page changes, so a ticker thread feeds ffmpeg the latest frame at a fixed rate; the file's
length is then the call's wall-clock length and the audio recording muxes onto it in step.

Selenium cannot receive CDP events, so this opens its own DevTools WebSocket to the page target
(chromedriver's `debuggerAddress`).
"""

import base64
import json
import logging
import subprocess
import threading
import time
from pathlib import Path

import requests
import websocket

log = logging.getLogger(__name__)

FPS = 5


class ScreenRecorder:
    def __init__(self, driver, target: Path, *, fps: int = FPS, width: int = 1280, height: int = 720) -> None:
        self.driver = driver
        self.target = target
        self.fps = fps
        self.size = (width, height)
        self._frame: bytes | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._ws = None
        self._ffmpeg = None
        self.frames_written = 0
        self.paused = False  # a paused recording: no frames, and the paused time is not the video's

    def _page_socket_url(self) -> str:
        address = self.driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        handle = self.driver.current_window_handle
        targets = requests.get(f"http://{address}/json", timeout=5).json()
        pages = [t for t in targets if t.get("type") == "page"]
        match = [t for t in pages if t.get("id") == handle] or pages
        return match[0]["webSocketDebuggerUrl"]

    def start(self) -> None:
        self._ws = websocket.create_connection(self._page_socket_url(), timeout=5, suppress_origin=True)
        width, height = self.size
        self._ws.send(
            json.dumps(
                {
                    "id": 1,
                    "method": "Page.startScreencast",
                    "params": {"format": "jpeg", "quality": 70, "maxWidth": width, "maxHeight": height},
                }
            )
        )
        self._ffmpeg = subprocess.Popen(
            [
                "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
                "-f", "image2pipe", "-c:v", "mjpeg", "-framerate", str(self.fps), "-i", "-",
                "-vf", f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
                f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,format=yuv420p",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-crf", "30",
                str(self.target),
            ],
            stdin=subprocess.PIPE,
        )  # fmt: skip
        for work in (self._receive, self._tick):
            thread = threading.Thread(target=work, daemon=True, name=f"screen-{work.__name__}")
            thread.start()
            self._threads.append(thread)

    def _receive(self) -> None:
        while not self._stop.is_set():
            try:
                message = json.loads(self._ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            except Exception:
                return  # the browser went away; the ticker keeps the last frame
            if message.get("method") == "Page.screencastFrame":
                params = message["params"]
                self._frame = base64.b64decode(params["data"])
                try:
                    self._ws.send(
                        json.dumps(
                            {"id": 2, "method": "Page.screencastFrameAck", "params": {"sessionId": params["sessionId"]}}
                        )
                    )
                except Exception:
                    return

    def _tick(self) -> None:
        while self._frame is None and not self._stop.is_set():
            self._stop.wait(0.02)  # the first frame comes within a few ms of startScreencast
        started = time.monotonic()
        while not self._stop.is_set():
            if self.paused:
                before = time.monotonic()
                self._stop.wait(1 / self.fps)
                started += time.monotonic() - before
                continue
            delay = started + self.frames_written / self.fps - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)
                continue
            try:
                self._ffmpeg.stdin.write(self._frame)
            except (BrokenPipeError, ValueError):
                return
            self.frames_written += 1

    def stop(self) -> Path | None:
        """Stop recording and return the video file (None when no frame ever came)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._ws is not None:
            try:
                self._ws.close()
            except Exception:
                pass
        if self._ffmpeg is not None:
            try:
                self._ffmpeg.stdin.close()
            except Exception:
                pass
            self._ffmpeg.wait(timeout=120)
        if self.frames_written == 0 or not self.target.exists():
            return None
        return self.target


def mux(video: Path, audio: Path, target: Path) -> Path:
    """The video with the call's audio (AAC), cut to the shorter of the two."""
    command = [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(video), "-i", str(audio),
        "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac", "-b:a", "96k", "-shortest",
        "-movflags", "+faststart", str(target),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    return target
