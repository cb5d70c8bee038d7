"""A local provider server (tests/ics_feed_server.py, google_calendar_server.py, graph_server.py) started as
its own process for a test, and the test's client of its control API (tests/control_api.py):
`server.add_event(...)` is `POST /_control/add_event` on the server's process."""

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from tests.control_api import CONTROL, decode, encode

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    def __init__(self, module: str, client_id: str = "", client_secret: str = "") -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", module, "--port", str(self.port)]
        if client_id:
            command += ["--client-id", client_id, "--client-secret", client_secret]
        self.process = subprocess.Popen(command, cwd=ROOT)
        self._wait_healthy(module)

    def _wait_healthy(self, module: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{module} exited with {self.process.returncode}")
            try:
                if requests.get(f"{self.url}{CONTROL}health", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{module} did not answer {CONTROL}health within {timeout} s")

    def control(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        answer = requests.post(
            f"{self.url}{CONTROL}{operation}", json=encode({"args": list(args), "kwargs": kwargs}), timeout=60
        )
        assert answer.status_code == 200, answer.text
        return decode(answer.json())

    def __getattr__(self, operation: str):
        if operation.startswith("_"):
            raise AttributeError(operation)
        return lambda *args, **kwargs: self.control(operation, *args, **kwargs)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def ics_feed_server() -> ServerProcess:
    return ServerProcess("tests.ics_feed_server")


def google_calendar_server() -> ServerProcess:
    return ServerProcess("tests.google_calendar_server", "google-client", "google-secret")


def graph_server() -> ServerProcess:
    return ServerProcess("tests.graph_server", "ms-client", "ms-secret")
