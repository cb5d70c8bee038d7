"""The Python side of the in-page audio capture (bots/capture/capture.js).

The script is installed with CDP before the meeting page loads; the runner drains its queue every
tick with one `execute_script` call (measured against a local WebSocket: same audio, far less code,
and no socket to open from a public HTTPS page to 127.0.0.1; see docs/bots.md). Audio is 16 kHz
mono signed 16-bit little-endian; sample offsets count from the page's load, silence included.
"""

import base64
import logging
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
BYTES_PER_SAMPLE = 2
SCRIPT = (Path(__file__).parent / "capture" / "capture.js").read_text()
DRAIN = "return window.__notulaCapture ? window.__notulaCapture.drain() : null;"


def install(driver) -> str:
    """Run the capture script in every document the tab loads from now on, before the page's own."""
    result = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SCRIPT})
    return result.get("identifier", "")


def peak(pcm: bytes) -> int:
    """Largest absolute sample value of a chunk (0-32768)."""
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if sys.byteorder != "little":
        samples.byteswap()
    if not samples:
        return 0
    return max(max(samples), -min(samples))


@dataclass
class DrainStatus:
    tracks: int = 0
    dropped: int = 0
    started: bool = False
    context_state: str = "none"
    error: str | None = None


class AudioCapture:
    """Drains the page's queue: `drain()` yields (pcm bytes, sample offset) in order."""

    def __init__(self, driver) -> None:
        self.driver = driver
        self.status = DrainStatus()
        self.samples_seen = 0  # one past the last sample yielded: the capture clock
        self._page_end = 0  # one past the last sample of the current document's stream
        self._rebase = 0  # samples of earlier documents, when the tab navigated after capture began

    def drain(self) -> Iterator[tuple[bytes, int]]:
        result = self.driver.execute_script(DRAIN)
        if not result:
            return
        self.status = DrainStatus(
            tracks=result.get("tracks", 0),
            dropped=result.get("dropped", 0),
            started=bool(result.get("started")),
            context_state=result.get("state", "none"),
            error=result.get("error"),
        )
        for encoded, raw_offset in result.get("chunks", []):
            pcm = base64.b64decode(encoded)
            raw_offset = int(raw_offset)
            if raw_offset < self._page_end:
                # A new document restarted its stream at 0: keep the clock going from where it was.
                self._rebase = self.samples_seen
            self._page_end = raw_offset + len(pcm) // BYTES_PER_SAMPLE
            offset = self._rebase + raw_offset
            self.samples_seen = offset + len(pcm) // BYTES_PER_SAMPLE
            yield pcm, offset
