"""Start a local provider server as its own process, for tests and benchmarks."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent.parent


class Provider:
    def __init__(self, process: subprocess.Popen, port: int, key: str):
        self.process, self.key = process, key
        self.url = f"http://127.0.0.1:{port}"

    def faults(self, **options) -> None:
        """The next `count` requests answer `status`, or their sockets drop after `drop_after` messages,
        or they wait `hang_s` seconds before answering."""
        requests.post(f"{self.url}/_faults", json=options, timeout=5).raise_for_status()

    def log(self) -> list[dict]:
        return requests.get(f"{self.url}/_log", timeout=5).json()


@contextmanager
def provider_server(name: str, key: str = "test-key"):
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.provider_servers", name, "--key", key],
        cwd=ROOT,
        env=dict(os.environ, NOTULA_ENV="test"),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line.startswith("listening on "):
            raise RuntimeError(f"the local {name} server did not start: {line!r}")
        yield Provider(process, int(line.split()[-1]), key)
    finally:
        process.terminate()
        process.wait(timeout=10)
