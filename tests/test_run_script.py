"""scripts/run.sh on the embedded default: SQLite and a private Redis in a fresh var dir, web + two
workers + beat really working together, and scripts/stop.sh stopping exactly what was started."""

import json
import os
import signal
import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ["redis", "web", "worker-bots", "worker", "worker-asr-batch", "beat"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(") ", 1)[1].split()[0] != "Z"


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def embedded(tmp_path):
    var = tmp_path / "var"
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "DATABASE_URL", "CELERY_BROKER_URL", "NOTULA_ENV", "NOTULA_TEST_DB_NAME")
        and not k.startswith("PYTEST")
    }
    env.update(
        NOTULA_VAR_DIR=str(var),
        NOTULA_PORT=str(port),
        NOTULA_RUN_DETACH="1",
        NOTULA_BOTS_PER_WORKER="1",
        # A bot still in its task when the test ends is not waited for long.
        NOTULA_STOP_TIMEOUT_S="5",
        NOTULA_PUBLIC_URL=f"http://127.0.0.1:{port}",
    )
    started = subprocess.run(
        [str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=90
    )
    pids = {}
    if (var / "run.pids").exists():
        pids = {name: int(pid) for name, pid in (line.split() for line in (var / "run.pids").read_text().splitlines())}
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield {"var": var, "env": env, "base": f"http://127.0.0.1:{port}", "pids": pids}
    finally:
        subprocess.run([str(ROOT / "scripts" / "stop.sh")], cwd=ROOT, env=env, capture_output=True, timeout=60)
        # Whatever stop.sh left behind would be a bug; remove it anyway so nothing outlives the test.
        for pid in pids.values():
            for member in _group_members(pid):
                os.kill(member, signal.SIGKILL)


def test_run_script_starts_everything_on_the_embedded_default(embedded):
    var, env, base, pids = embedded["var"], embedded["env"], embedded["base"], embedded["pids"]
    assert sorted(pids) == sorted(SERVICES)
    assert all(_running(pid) for pid in pids.values()), pids
    assert (var / "notula.sqlite3").exists() and (var / "redis.sock").exists()

    assert requests.get(f"{base}/healthz", timeout=5).json() == {"ok": True}

    created = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "createapikey", "--org", "Runner", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    headers = {"Authorization": f"Token {json.loads(created.stdout)['key']}"}
    assert requests.get(f"{base}/api/v1/bots", headers=headers, timeout=5).json()["results"] == []

    # A bot due in 35 s stays scheduled (dispatch leads join_at by 30 s); beat's next tick hands it
    # to the main worker, which dispatches it through the private Redis: queued.
    join_at = (datetime.now(UTC) + timedelta(seconds=35)).isoformat()
    response = requests.post(
        f"{base}/api/v1/bots",
        json={"meeting_url": "https://meet.google.com/abc-defg-hij", "join_at": join_at},
        headers=headers,
        timeout=5,
    )
    assert response.status_code == 201, response.text
    bot = response.json()
    assert bot["status"] == "scheduled"

    def dispatched():
        detail = requests.get(f"{base}/api/v1/bots/{bot['id']}", headers=headers, timeout=5).json()
        return detail if detail["status"] != "scheduled" else None

    detail = _wait_for(dispatched, 25, "beat and the worker to dispatch the scheduled bot")
    assert detail["events"][0]["event"] == "dispatch"

    # The bots worker claims it from the private Redis (queued -> joining, or straight on to its end).
    def claimed():
        detail = requests.get(f"{base}/api/v1/bots/{bot['id']}", headers=headers, timeout=5).json()
        return detail if "join_started" in [e["event"] for e in detail["events"]] else None

    _wait_for(claimed, 20, "the bots worker to claim the dispatched bot")
    # No real meeting is reachable here: ask it to leave rather than let it try.
    requests.post(f"{base}/api/v1/bots/{bot['id']}/leave", headers=headers, timeout=5)

    bad = requests.post(f"{base}/api/v1/bots", json={"meeting_url": "http://zoom.us/j/1"}, headers=headers, timeout=5)
    assert bad.status_code == 400 and "meeting_url" in bad.json()["error"]["fields"]

    logs = var / "log"
    assert "bots@" in (logs / "worker-bots.log").read_text() and "ready." in (logs / "worker-bots.log").read_text()
    assert "ready." in (logs / "worker.log").read_text()
    batch = (logs / "worker-asr-batch.log").read_text()
    assert "ready." in batch and ".> asr_batch" in batch and ".> asr_live" not in batch
    assert "Sending due task dispatch-scheduled-bots" in (logs / "beat.log").read_text()

    stopped = subprocess.run(
        [str(ROOT / "scripts" / "stop.sh")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert stopped.returncode == 0, stopped.stderr
    assert not any(_group_members(pid) for pid in pids.values())
    assert not (var / "run.pids").exists() and not (var / "redis.sock").exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base}/healthz", timeout=2)
