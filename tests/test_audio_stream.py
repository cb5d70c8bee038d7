"""The live audio client against a local WebSocket receiver that drops the connection mid-stream."""

import json
import struct
import threading
import time

from websockets.sync.server import serve

from bots.audio_stream import AudioStreamer

FRAME = 3200  # 100 ms of 16 kHz mono PCM16


def _frame(n: int) -> bytes:
    return struct.pack("<I", n) + bytes(FRAME - 4)


class DroppingReceiver:
    """Takes binary and text frames; closes the first connection after `drop_after` audio frames."""

    def __init__(self, drop_after: int):
        self.drop_after = drop_after
        self.connections = 0
        self.audio: list[int] = []
        self.sizes: set[int] = set()
        self.speakers: list = []
        self._lock = threading.Lock()
        self.server = serve(self._handle, "127.0.0.1", 0)
        self.port = self.server.socket.getsockname()[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handle(self, ws):
        with self._lock:
            self.connections += 1
            first = self.connections == 1
        count = 0
        for message in ws:
            with self._lock:
                if isinstance(message, bytes):
                    self.audio.append(struct.unpack("<I", message[:4])[0])
                    self.sizes.add(len(message))
                    count += 1
                else:
                    self.speakers.append(json.loads(message))
            if first and count == self.drop_after:
                ws.close()
                return


def test_reconnects_and_keeps_streaming_after_the_receiver_drops():
    receiver = DroppingReceiver(drop_after=10)
    streamer = AudioStreamer(f"ws://127.0.0.1:{receiver.port}/audio", backoff_initial_s=0.05)
    try:
        streamer.send_speakers([{"name": "Alice", "id": "p1", "timestamp": 1000, "isSpeaking": True}])
        for n in range(60):
            streamer.send_audio(_frame(n))
            time.sleep(0.01)
        streamer.send_speakers([{"name": "Alice", "id": "p1", "timestamp": 2000, "isSpeaking": False}])
    finally:
        streamer.close(timeout=10)
    receiver.server.shutdown()
    assert receiver.connections >= 2 and streamer.connections >= 2
    got = receiver.audio
    assert got[:10] == list(range(10))
    assert got == sorted(got) and len(set(got)) == len(got)  # in order, none twice
    assert got[-1] == 59
    # At most the frames in flight when the connection dropped are lost.
    assert len(got) >= 55
    assert receiver.sizes == {FRAME}
    assert receiver.speakers[0] == [{"name": "Alice", "id": "p1", "timestamp": 1000, "isSpeaking": True}]
    assert receiver.speakers[-1][0]["isSpeaking"] is False


def test_buffers_while_the_receiver_is_away_and_drops_oldest_past_the_limit():
    # Nothing listens yet: the streamer keeps the last second and retries with backoff.
    probe = serve(lambda ws: None, "127.0.0.1", 0)
    port = probe.socket.getsockname()[1]
    probe.socket.close()
    streamer = AudioStreamer(f"ws://127.0.0.1:{port}/audio", buffer_s=1.0, backoff_initial_s=0.05, backoff_max_s=0.2)
    for n in range(30):  # 3 s of audio, 1 s kept
        streamer.send_audio(_frame(n))
    time.sleep(0.3)
    assert streamer.connections == 0 and streamer.dropped_bytes == 20 * FRAME
    received: list[int] = []

    def handle(ws):
        for message in ws:
            received.append(struct.unpack("<I", message[:4])[0])

    server = serve(handle, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        deadline = time.time() + 10
        while len(received) < 10 and time.time() < deadline:
            time.sleep(0.05)
        streamer.close(timeout=5)
    finally:
        server.shutdown()
    assert received == list(range(20, 30))
    assert streamer.connections == 1
