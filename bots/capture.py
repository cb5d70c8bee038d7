"""The Python side of the in-page audio capture (bots/capture/capture.js).

The script is installed with CDP before the meeting page loads; the runner drains its queue every
tick with one `execute_script` call (measured against a local WebSocket: same audio, far less code,
and no socket to open from a public HTTPS page to 127.0.0.1; see docs/bots.md). Audio is 16 kHz
mono signed 16-bit little-endian; sample offsets count from the page's load, silence included.

Under CPU starvation Chromium's audio renderer skips time instead of catching up: the stream then
has fewer samples than the call has milliseconds, and a clock counted in samples falls behind the
speaking indicators (seen: 2.5 s over a three-minute call with four bots on two cores). Each chunk
carries the wall time it was completed at; `SampleClock` moves the offsets forward by what was
skipped, so audio, recording and speaker timeline stay together.

Each remote track is also tapped on its own (one per participant where the platform sends them so):
`take_tracks()` hands over the chunks with sound since the last drain, as (track id, pcm, offset),
offsets on the same clock. Silent stretches of a track are not sent: they are silence.
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
# Skipped time smaller than this is left alone: it is within the chunks' own timing jitter.
SKIP_TOLERANCE_MS = 200
# A skip is taken as real when the stream stays this many chunks behind (a burst that catches up is not).
SKIP_CONFIRM_CHUNKS = 10
SCRIPT = (Path(__file__).parent / "capture" / "capture.js").read_text()
# What the page's queue holds since the last drain (null before the script ran).
DRAIN_EXPRESSION = "window.__notulaCapture ? window.__notulaCapture.drain() : null"
DRAIN = f"return {DRAIN_EXPRESSION};"


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
    split: bool = False  # the tracks are tapped one by one: take_tracks() has all of their sound


class SampleClock:
    """Keeps sample offsets on the wall clock: adds what the renderer skipped (in samples) to offsets.

    `lag` of a chunk is its wall time minus its audio time; the smallest lag seen is the stream's
    steady delay. When the last SKIP_CONFIRM_CHUNKS chunks were all later than that by more than
    SKIP_TOLERANCE_MS, that much time was skipped, and later offsets move forward by it.
    """

    def __init__(self) -> None:
        self.skipped_samples = 0
        self._floor: float | None = None
        self._recent: list[float] = []

    def place(self, offset: int, samples: int, at_ms: float | None) -> int:
        """The offset at which a chunk of `samples` counted from `offset` belongs."""
        if at_ms is None:
            return offset + self.skipped_samples
        lag = at_ms - (offset + self.skipped_samples + samples) * 1000 / SAMPLE_RATE
        if self._floor is None or lag < self._floor:
            self._floor = lag
        self._recent = [*self._recent[-(SKIP_CONFIRM_CHUNKS - 1) :], lag - self._floor]
        behind = min(self._recent)
        if len(self._recent) == SKIP_CONFIRM_CHUNKS and behind > SKIP_TOLERANCE_MS:
            self.skipped_samples += int(behind * SAMPLE_RATE / 1000)
            self._recent = []
        return offset + self.skipped_samples


class AudioCapture:
    """Drains the page's queue: `drain()` yields (pcm bytes, sample offset) in order."""

    def __init__(self, driver) -> None:
        self.driver = driver
        self.status = DrainStatus()
        self.samples_seen = 0  # one past the last sample yielded: the capture clock
        self._page_end = 0  # one past the last sample of the current document's stream
        self._rebase = 0  # samples of earlier documents, when the tab navigated after capture began
        self.clock = SampleClock()
        self._track_chunks: list = []

    def take_tracks(self) -> list[tuple[str, bytes, int]]:
        """The tracks' own chunks (track id, pcm, sample offset) of the drains taken since the last call."""
        chunks, self._track_chunks = self._track_chunks, []
        return chunks

    def drain(self) -> Iterator[tuple[bytes, int]]:
        return self.take(self.driver.execute_script(DRAIN))

    def take(self, result: dict | None) -> Iterator[tuple[bytes, int]]:
        """The chunks of a drain the caller ran itself (in the same call as its page snapshot)."""
        if not result:
            return
        self.status = DrainStatus(
            tracks=result.get("tracks", 0),
            dropped=result.get("dropped", 0),
            started=bool(result.get("started")),
            context_state=result.get("state", "none"),
            error=result.get("error"),
            split=bool(result.get("split")),
        )
        # On the mixed stream's clock as this drain leaves it (a skip found below is not applied to the
        # tracks until the next drain: at most one tick of 200 ms).
        shift = self._rebase + self.clock.skipped_samples
        self._track_chunks.extend(
            (str(track), base64.b64decode(encoded), int(offset) + shift)
            for track, encoded, offset in result.get("track_chunks", [])
        )
        for encoded, raw_offset, *stamp in result.get("chunks", []):
            pcm = base64.b64decode(encoded)
            raw_offset, samples = int(raw_offset), len(pcm) // BYTES_PER_SAMPLE
            if raw_offset < self._page_end:
                # A new document restarted its stream at 0: keep the clock going from where it was.
                self._rebase = self.samples_seen - self.clock.skipped_samples
            self._page_end = raw_offset + samples
            offset = self.clock.place(self._rebase + raw_offset, samples, float(stamp[0]) if stamp else None)
            self.samples_seen = offset + samples
            yield pcm, offset
