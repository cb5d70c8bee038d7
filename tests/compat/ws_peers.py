"""Local WebSocket servers that stand for an integrator's sockets in the MeetStream tests: a receiver
that keeps every frame, and a control-channel peer that sends commands and keeps the answers."""

import json
import queue
import threading
import time

from websockets.sync.server import serve


class Receiver:
    """Keeps every frame per connection; closes the first connection after `drop_after` binary frames."""

    def __init__(self, drop_after: int = 0):
        self.drop_after = drop_after
        self.connections: list[list] = []
        self._lock = threading.Lock()
        self.server = serve(self._handle, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/live"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handle(self, ws):
        with self._lock:
            frames: list = []
            self.connections.append(frames)
            first = len(self.connections) == 1
        for message in ws:
            frames.append(message)
            if first and self.drop_after and sum(isinstance(f, bytes) for f in frames) == self.drop_after:
                ws.close()
                return

    def all_frames(self) -> list:
        return [frame for frames in self.connections for frame in frames]


class Integrator:
    """Sends the frames of `script` once the bot says it is ready, and keeps what the bot answers."""

    def __init__(self, script: list, *, delay_s: float = 0.0):
        self.script = script
        self.delay_s = delay_s  # how long after the bot's ready frame the commands start
        self.received: queue.Queue = queue.Queue()
        self.server = serve(self._handle, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/control"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handle(self, ws):
        self.received.put(json.loads(ws.recv(timeout=10)))
        script, self.script = self.script, []  # the commands go once, on the first connection
        time.sleep(self.delay_s if script else 0)
        for frame in script:
            ws.send(frame if isinstance(frame, str) else json.dumps(frame))
            self.received.put(json.loads(ws.recv(timeout=30)))
        for _ in ws:  # until the bot closes
            pass

    def answers(self, count: int) -> list[dict]:
        return [self.received.get(timeout=30) for _ in range(count)]
