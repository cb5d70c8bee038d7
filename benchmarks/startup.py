"""How long `scripts/run.sh` takes to bring Notula up on the embedded default, and stop.sh to stop it.

Each round uses a fresh var dir (so migrations run on a new SQLite file and a private Redis
starts), a free port, and NOTULA_RUN_DETACH=1. Measured: run.sh until it returns (the web server
answers /healthz), then until the first authenticated API call answers, then stop.sh.

    .venv/bin/python benchmarks/startup.py [rounds]
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_round() -> dict:
    with tempfile.TemporaryDirectory(prefix="notula-bench-") as tmp:
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "NOTULA_ENV")}
        env.update(NOTULA_VAR_DIR=f"{tmp}/var", NOTULA_PORT=str(port), NOTULA_RUN_DETACH="1")
        t0 = time.monotonic()
        subprocess.run([str(ROOT / "scripts/run.sh")], cwd=ROOT, env=env, check=True, capture_output=True)
        up = time.monotonic() - t0
        try:
            out = subprocess.run(
                [str(ROOT / ".venv/bin/python"), "manage.py", "createapikey", "--org", "Bench", "--json"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            key = json.loads(out.stdout)["key"]
            t1 = time.monotonic()
            response = requests.get(
                f"http://127.0.0.1:{port}/api/v1/bots", headers={"Authorization": f"Token {key}"}, timeout=30
            )
            response.raise_for_status()
            first_call = time.monotonic() - t1
        finally:
            t2 = time.monotonic()
            subprocess.run([str(ROOT / "scripts/stop.sh")], cwd=ROOT, env=env, check=True, capture_output=True)
            stop = time.monotonic() - t2
    return {"up_s": up, "first_api_call_s": first_call, "stop_s": stop}


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    results = [one_round() for _ in range(rounds)]
    print(f"rounds: {rounds}, cores: {os.cpu_count()}, load average at end: {os.getloadavg()[0]:.1f}")
    for name in ("up_s", "first_api_call_s", "stop_s"):
        values = [r[name] for r in results]
        print(f"{name:18s} median {statistics.median(values):6.2f}  min {min(values):6.2f}  max {max(values):6.2f}")


if __name__ == "__main__":
    main()
