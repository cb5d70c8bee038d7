"""streaming.audio_url through the outbound check: pinned to the checked address, re-checked at every reconnect."""

import time

import pytest

from bots.audio_stream import AudioStreamer
from tests.net.servers import INTERNAL, PUBLIC

pytestmark = pytest.mark.usefixtures("production_rules")
NAME = "audio.example.test"
MEET = "https://meet.google.com/abc-defg-hij"
FRAME = bytes(3200)


def _wait_for(condition, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_a_reconnect_checks_the_name_again_and_refuses_a_private_answer(ws_pair, dns):
    public, internal = ws_pair
    public.drop_after = 5
    # A second lookup at connect time, or a reconnect without a check, would reach the internal server.
    dns.set(NAME, PUBLIC, INTERNAL)
    streamer = AudioStreamer(f"ws://{NAME}:{public.port}/audio", backoff_initial_s=0.05, backoff_max_s=0.1)
    try:
        for _ in range(20):
            streamer.send_audio(FRAME)
            time.sleep(0.01)
        _wait_for(lambda: streamer.last_error)
    finally:
        streamer.close(timeout=0.5)
    assert streamer.last_error.startswith(f"streaming.audio_url: '{NAME}' resolves to 127.0.0.2, a loopback address")
    assert public.connections == 1 and len(public.frames) == 5
    assert internal.connections == 0 and internal.frames == []
    assert streamer.connections == 1 and dns.lookups[:2] == [NAME, NAME]


def test_a_redirect_answer_is_not_followed(ws_pair, dns):
    public, internal = ws_pair
    public.redirect_to = f"ws://{INTERNAL}:{internal.port}/audio"
    dns.set(NAME, PUBLIC)
    streamer = AudioStreamer(f"ws://{NAME}:{public.port}/audio", backoff_initial_s=0.05, backoff_max_s=0.1)
    try:
        streamer.send_audio(FRAME)
        _wait_for(lambda: streamer.last_error)
    finally:
        streamer.close(timeout=0.5)
    assert streamer.last_error == "streaming.audio_url answered HTTP 302 (redirects are not followed)"
    assert streamer.connections == 0 and internal.connections == 0


def test_a_public_receiver_gets_the_audio(ws_pair, dns):
    public, _ = ws_pair
    dns.set(NAME, PUBLIC)
    streamer = AudioStreamer(f"ws://{NAME}:{public.port}/audio")
    for _ in range(3):
        streamer.send_audio(FRAME)
    streamer.close(timeout=5)
    _wait_for(lambda: len(public.frames) == 3)  # the server's thread may still be reading
    assert public.connections == 1 and public.frames == [FRAME] * 3 and streamer.last_error == ""


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ws://10.0.0.8:9000/audio", "10.0.0.8, a private address"),
        ("wss://[::1]/audio", "::1, a loopback address"),
        ("ws://169.254.169.254/", "a cloud metadata address"),
        ("https://audio.example.com/in", "must be a ws(s) URL"),
    ],
)
def test_the_api_refuses_a_private_audio_url(api, url, words):
    response = api.post("/api/v1/bots", {"meeting_url": MEET, "streaming": {"audio_url": url}}, format="json")
    assert response.status_code == 400
    assert words in response.json()["error"]["fields"]["streaming"]["audio_url"][0]
