"""The capture script in a real Chromium, on a page that sends audio over a WebRTC loopback."""

import time
from pathlib import Path

import pytest

from bots import browser, capture
from bots.platforms.base import CallState
from bots.platforms.google_meet.adapter import Adapter as GoogleMeet
from tests.asr_http import serve_directory

pytestmark = pytest.mark.browser
PAGES = Path(__file__).parent / "pages"


@pytest.fixture(scope="module")
def page_server():
    server = serve_directory(PAGES)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _collect(cap, seconds):
    chunks = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        chunks.extend(cap.drain())
        time.sleep(0.2)
    chunks.extend(cap.drain())
    return chunks


def test_remote_audio_is_captured_whole_and_the_bot_microphone_is_left_out(page_server):
    with browser.launch() as driver:
        driver.get(f"{page_server}/loopback.html")
        cap = capture.AudioCapture(driver)
        driver.execute_script("return window.loopback(true)")  # a 440 Hz tone plus the fake microphone
        time.sleep(0.5)
        list(cap.drain())
        start_sample, started = cap.samples_seen, time.monotonic()
        chunks = _collect(cap, 2.0)
        elapsed = time.monotonic() - started
        assert cap.status.tracks == 1, "only the tone's track is mixed, not the echoed microphone"
        assert cap.status.dropped == 0
        # Continuous and in order: each chunk starts where the previous one ended.
        for (pcm, offset), (_, following) in zip(chunks, chunks[1:], strict=False):
            assert following == offset + len(pcm) // 2
        received = cap.samples_seen - start_sample
        assert abs(received / capture.SAMPLE_RATE - elapsed) < 0.35
        assert min(capture.peak(pcm) for pcm, _ in chunks[2:]) > 10000  # the tone at half scale

        driver.execute_script("window.setTone(false)")
        time.sleep(0.5)
        list(cap.drain())
        quiet = _collect(cap, 1.0)
        # The fake microphone beeps; were it in the mix, some chunk would carry it.
        assert quiet and max(capture.peak(pcm) for pcm, _ in quiet) < 50


class _BrokenSnapshot(GoogleMeet):
    """An adapter whose snapshot script throws, as a page changed under it would make it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._script = "throw new Error('the page changed under the snapshot');"


def test_audio_drained_with_the_snapshot_survives_a_failing_snapshot(page_server):
    with browser.launch() as driver:
        driver.get(f"{page_server}/loopback.html")
        cap = capture.AudioCapture(driver)
        driver.execute_script("return window.loopback(true)")
        time.sleep(0.8)
        snap, drained = GoogleMeet(driver, bot_name="Notula").snapshot_with(capture.DRAIN_EXPRESSION)
        assert snap is not None and snap.state == CallState.JOINING  # no call on this page
        assert list(cap.take(drained)), "the tone's chunks came back in the same call"
        time.sleep(0.5)
        snap, drained = _BrokenSnapshot(driver, bot_name="Notula").snapshot_with(capture.DRAIN_EXPRESSION)
        chunks = list(cap.take(drained))
        assert snap is None
        assert chunks and min(capture.peak(pcm) for pcm, _ in chunks) > 10000
