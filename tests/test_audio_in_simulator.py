"""Live audio in: a bot with `streaming.input` plays what an integrator's WebSocket sends into the meeting.
A local server sends tone bursts (16 or 24 kHz PCM) in 20 ms frames, in real time, silence between; the
simulated participants hear each burst, and the delay from the socket to their hearing it is measured
(docs/benchmarks.md has the figures)."""

import math
import statistics
import threading
import time
from array import array

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import serve

from bots.services import bot_request_leave
from simulator import services as sim
from simulator.heard import heard_onsets
from simulator.models import SimMeeting
from tests.factories import BotFactory, MeetingFactory
from tests.test_session import start, status_of, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BURSTS = 5
FRAME_MS = 20
TONE_MS, GAP_MS = 400, 1200


def frame(rate: int, loud: bool, index: int) -> bytes:
    n = rate * FRAME_MS // 1000
    if not loud:
        return bytes(n * 2)
    start = index * n
    return array("h", (int(12000 * math.sin(2 * math.pi * 440 * (start + i) / rate)) for i in range(n))).tobytes()


class Sender:
    """The integrator's side: once the bot connects, silence, then the bursts, each dated as sent."""

    def __init__(self, rate: int, go: threading.Event) -> None:
        self.rate, self.go, self.sent_ms, self.connected = rate, go, [], threading.Event()

    def handle(self, ws) -> None:
        if self.connected.is_set():
            return  # the bursts go once, on the first connection
        self.connected.set()
        sent = 0
        plan = [False] * (1000 // FRAME_MS)  # a second of silence first
        for _ in range(BURSTS):
            plan += [True] * (TONE_MS // FRAME_MS) + [False] * (GAP_MS // FRAME_MS)
        self.go.wait(60)
        began = time.monotonic()
        for index, loud in enumerate(plan):
            if loud and (index == 0 or not plan[index - 1]):
                self.sent_ms.append(time.time() * 1000)
            try:
                ws.send(frame(self.rate, loud, index))
            except ConnectionClosed:
                return  # the bot left once it had heard every burst
            sent += 1
            delay = began + sent * FRAME_MS / 1000 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        try:
            for _ in ws:  # the connection stays open, quiet, until the bot leaves
                pass
        except ConnectionClosed:
            pass


@pytest.mark.parametrize(("platform", "rate"), [("google_meet", 16000), ("zoom", 24000)])
def test_audio_from_the_socket_is_heard_in_the_meeting(transactional_db, live_server, media, api, platform, rate):
    go = threading.Event()
    sender = Sender(rate, go)
    server = serve(sender.handle, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        scenario = {"lobby": {"policy": "admit", "after_s": 0.5}, "participants": [{"name": "Alice Smith"}]}
        simulated = sim.sim_meeting_create(organization=api.organization, platform=platform, scenario=scenario)
        url = f"{live_server.url}/simulator/{platform}/{simulated.pk}"
        bot = BotFactory(meeting=MeetingFactory(organization=api.organization, meeting_url=url, platform=platform))
        port = server.socket.getsockname()[1]
        bot.settings["streaming"].update(input=f"ws://127.0.0.1:{port}/in", input_sample_rate=rate)
        bot.save()
        thread = start(bot)
        wait_for(lambda: status_of(bot) == "in_call", timeout=60)
        assert sender.connected.wait(10), "the bot connected to streaming.input"
        time.sleep(2)  # the client has its microphone running
        go.set()
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and not (
            len(sender.sent_ms) == BURSTS and len(heard_onsets(simulated)) >= BURSTS
        ):
            time.sleep(0.2)
        bot.refresh_from_db()
        heard = (
            len(sender.sent_ms),
            heard_onsets(simulated),
            bot.warnings,
            SimMeeting.objects.get(pk=simulated.pk).bot_mic_on,
        )
        bot_request_leave(bot=bot)
        thread.join(60)
    finally:
        server.shutdown()

    onsets = heard_onsets(simulated)
    assert len(onsets) == BURSTS, heard  # (bursts sent, onsets heard, bot warnings, microphone on)
    delays = [heard - sent for sent, heard in zip(sender.sent_ms, onsets, strict=True)]
    median = statistics.median(delays)
    print(f"\n{platform} {rate} Hz: socket -> heard {[round(d) for d in delays]} ms, median {median:.0f}")
    assert all(0 < d < 1500 for d in delays), delays
