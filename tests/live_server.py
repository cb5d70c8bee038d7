"""Daphne serving the production ASGI app in its own process, on the test database and Redis.

The data it serves must be committed: use it from `transactional_db` tests, or create rows under
`django_db_blocker` in session fixtures.
"""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def daphne(tmp_path: Path, *, offline: bool = False, **extra_env: str):
    """Yields the server's base URL; `extra_env` adds settings (e.g. NOTULA_API_RATE_LIMIT).
    `offline`: only loopback names resolve in the server (tests/offline_daphne.py)."""
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=settings.REDIS_URL, NOTULA_ENV="test")
    env.update(NOTULA_DEBUG="0", NOTULA_MEDIA_ROOT=str(settings.MEDIA_ROOT), NOTULA_TEST_DB_NAME="")
    env.update(extra_env)
    log_path = tmp_path / f"daphne-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.offline_daphne" if offline else "daphne"]
            + ["-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base_url}/healthz", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Daphne did not start:\n" + log_path.read_text())
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)
