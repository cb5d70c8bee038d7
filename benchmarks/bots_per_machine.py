#!/usr/bin/env python
"""How many bots fit on this machine: CPU and memory per bot, and whether each bot's captured audio
stays whole, at 1, 2, 4 and 8 concurrent bots.

Each bot is the production browser (bots.browser.launch, same flags, capture script injected) on a
page that receives audio over a WebRTC loopback, drained every 200 ms like the runner does. "Whole"
compares the samples received with the wall-clock time (16,000 per second) and counts chunks
dropped or out of sequence.

    .venv/bin/python benchmarks/bots_per_machine.py [--seconds 30] [--counts 1,2,4,8]
"""

import argparse
import functools
import http.server
import os
import platform
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bots import browser, capture  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except OSError:
            continue
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / TICKS


def pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Bot(threading.Thread):
    def __init__(self, url: str, seconds: float, ready: threading.Barrier):
        super().__init__(daemon=True)
        self.url, self.seconds, self.ready = url, seconds, ready
        self.samples = self.gaps = self.dropped = 0
        self.elapsed = 0.0
        self.drain_ms: list[float] = []
        self.error = None

    def run(self):
        try:
            with browser.launch() as driver:
                driver.get(self.url)
                driver.execute_script("return window.loopback(false)")
                cap = capture.AudioCapture(driver)
                time.sleep(1.0)
                list(cap.drain())
                self.ready.wait()
                start_sample, started = cap.samples_seen, time.monotonic()
                expected = start_sample
                while time.monotonic() - started < self.seconds:
                    t0 = time.perf_counter()
                    for pcm, offset in cap.drain():
                        if offset != expected:
                            self.gaps += 1
                        expected = offset + len(pcm) // 2
                    self.drain_ms.append((time.perf_counter() - t0) * 1000)
                    time.sleep(0.2)
                list(cap.drain())
                self.elapsed = time.monotonic() - started
                self.samples = cap.samples_seen - start_sample
                self.dropped = cap.status.dropped
        except Exception as exc:  # reported in the table, not hidden
            self.error = f"{type(exc).__name__}: {exc}"
            try:
                self.ready.abort()
            except Exception:
                pass


def measure(url: str, count: int, seconds: float) -> dict:
    ready = threading.Barrier(count + 1)
    bots = [Bot(url, seconds, ready) for _ in range(count)]
    for bot in bots:
        bot.start()
    ready.wait(timeout=120)
    me = os.getpid()
    procs = descendants(me)
    cpu0, wall0, self0 = cpu_seconds(procs), time.monotonic(), time.process_time()
    time.sleep(seconds / 2)
    memory = pss_mb(descendants(me))
    time.sleep(seconds / 2 - 0.3)
    procs = descendants(me)
    cpu = cpu_seconds(procs) - cpu0 + (time.process_time() - self0)
    wall = time.monotonic() - wall0
    for bot in bots:
        bot.join(120)
    errors = [b.error for b in bots if b.error]
    ratios = [b.samples / (b.elapsed * capture.SAMPLE_RATE) for b in bots if b.elapsed]
    drains = [ms for b in bots for ms in b.drain_ms]
    return {
        "bots": count,
        "cpu_per_bot": cpu / wall / count,
        "cpu_total": cpu / wall,
        "pss_per_bot_mb": memory / count,
        "audio_min_ratio": min(ratios) if ratios else 0.0,
        "gaps": sum(b.gaps for b in bots),
        "dropped": sum(b.dropped for b in bots),
        "drain_ms": sorted(drains)[len(drains) // 2] if drains else 0.0,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--counts", default="1,2,4,8")
    args = parser.parse_args()
    pages = ROOT / "tests" / "pages"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(pages)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/loopback.html"
    print(
        f"Machine: {platform.node()} {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, load {os.getloadavg()[0]:.2f}"
    )
    print(
        "| bots | CPU per bot (cores) | CPU total (cores) | memory per bot (PSS MB) | audio / wall time (worst bot) "
        "| gaps | chunks dropped | drain call (median ms) | load before |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for count in [int(c) for c in args.counts.split(",")]:
        load = os.getloadavg()[0]
        r = measure(url, count, args.seconds)
        print(
            f"| {r['bots']} | {r['cpu_per_bot']:.2f} | {r['cpu_total']:.2f} | {r['pss_per_bot_mb']:.0f} "
            f"| {r['audio_min_ratio']:.3f} | {r['gaps']} | {r['dropped']} | {r['drain_ms']:.1f} | {load:.1f} |"
            + (f" errors: {r['errors']}" if r["errors"] else ""),
            flush=True,
        )
    server.shutdown()


if __name__ == "__main__":
    main()
