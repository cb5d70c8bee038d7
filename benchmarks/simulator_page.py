"""What the simulator costs: espeak-ng rendering, the page's state poll, and Chromium's CPU while it
hosts a simulated meeting (each participant is a WebRTC connection inside the page, encoding Opus).

Runs against a running Notula (make run / make demo):

    .venv/bin/python benchmarks/simulator_page.py --base-url http://127.0.0.1:8000 --key ntl_...

Prints a Markdown table for docs/benchmarks.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bots.browser import launch  # noqa: E402
from bots.platforms.base import CallState  # noqa: E402
from bots.platforms.registry import adapter_class  # noqa: E402
from simulator import tts  # noqa: E402

LINES = [
    "Good morning everyone, let's start the weekly planning.",
    "The release candidate passed all tests last night.",
    "I can take the documentation this week.",
    "Can you prepare the release notes by Thursday?",
    "I will send a draft on Wednesday afternoon.",
]
CLK_TCK = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root_pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        stats[pid] = (int(fields[11]) + int(fields[12])) / CLK_TCK
    total, todo = 0.0, [root_pid]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def bench_tts(voice: str = "en-us") -> tuple[float, float]:
    """(ms per line, seconds of speech per second of rendering) on fresh text."""
    from django.conf import settings

    with tempfile.TemporaryDirectory() as tmp:
        settings.MEDIA_ROOT = tmp
        start = time.perf_counter()
        audio_s = 0.0
        for i, text in enumerate(LINES * 2):
            path = tts.tts_render(voice=voice, text=f"{text} ({i})")
            audio_s += (path.stat().st_size - 44) / 2 / 22050
        elapsed = time.perf_counter() - start
    return elapsed / (len(LINES) * 2) * 1000, audio_s / elapsed


def scenario(people: int, seconds: int) -> dict:
    names = [f"Person {i + 1}" for i in range(people)]
    script, t = [], 1.0
    while t < seconds:
        for name in names:
            script.append({"at_s": round(t, 1), "speaker": name, "text": LINES[len(script) % len(LINES)]})
            t += 3.5
    return {"participants": [{"name": n} for n in names], "script": script, "ends_at_s": seconds + 30}


def bench_meeting(base: str, key: str, people: int, seconds: int) -> dict:
    headers = {"Authorization": f"Token {key}"}
    meeting = requests.post(
        f"{base}/simulator/api/meetings",
        json={"platform": "google_meet", "scenario": scenario(people, seconds)},
        headers=headers,
        timeout=10,
    ).json()
    with launch() as driver:
        pid = driver.service.process.pid
        adapter = adapter_class("google_meet")(driver, bot_name="Bench")
        adapter.open(meeting["url"])
        adapter.join()
        while adapter.snapshot().state != CallState.IN_CALL:
            time.sleep(0.1)
        cpu0, t0 = tree_cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        cores = (tree_cpu_seconds(pid) - cpu0) / (time.monotonic() - t0)
        state_ms = []
        page = meeting["url"] + "/state"
        for _ in range(50):
            start = time.perf_counter()
            requests.get(page, timeout=10).raise_for_status()
            state_ms.append((time.perf_counter() - start) * 1000)
        return {
            "people": people,
            "cores": cores,
            "state_p50": statistics.median(state_ms),
            "state_p95": sorted(state_ms)[int(len(state_ms) * 0.95) - 1],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", required=True)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--people", default="1,3,6")
    args = parser.parse_args()
    ms, speed = bench_tts()
    print(f"espeak-ng: {ms:.0f} ms per line, {speed:.0f}x real time\n")
    print("| participants | Chromium CPU (cores) | state poll p50 (ms) | p95 (ms) |")
    print("|---|---|---|---|")
    for people in (int(p) for p in args.people.split(",")):
        row = bench_meeting(args.base_url.rstrip("/"), args.key, people, args.seconds)
        print(f"| {row['people']} | {row['cores']:.2f} | {row['state_p50']:.1f} | {row['state_p95']:.1f} |")


if __name__ == "__main__":
    main()
