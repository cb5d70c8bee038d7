"""Django for the benchmark scripts: the test settings, on a database of their own."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(*, database: bool = False):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("NOTULA_ENV", "test")
    os.environ.setdefault("NOTULA_TEST_DB_NAME", "bench_notula_asr")
    import django

    django.setup()
    if database:
        from django.db import connection

        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
        # Processes started from here (the feeders) use the same database.
        db = connection.settings_dict
        os.environ["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def machine() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} cores ({cpu}), {platform.python_version()}, load average {load:.1f} at start"


def percentile(values, q: float) -> float:
    """The q-quantile (0..1) of values, linearly interpolated; NaN for none."""
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    low, high = int(k), min(int(k) + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def server_start(port: int):
    """A Notula server (runserver) on `port` that keeps media in var/bench-media, up and answering;
    the caller terminates it. Returns (process, media folder)."""
    import subprocess
    import time

    import requests
    from django.conf import settings

    media = ROOT / "var" / "bench-media"
    env = dict(os.environ, NOTULA_MEDIA_ROOT=str(media), NOTULA_PUBLIC_URL=f"http://127.0.0.1:{port}")
    settings.MEDIA_ROOT = media
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.3)
    return server, media
