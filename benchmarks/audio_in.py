#!/usr/bin/env python
"""Live audio in: the delay from an integrator's WebSocket (`streaming.input`) to the simulated
participants hearing the bot play it. Runs the browser test that measures it
(tests/test_audio_in_simulator.py: whole bots in the simulator, a local WebSocket server sending tone
bursts in 20 ms frames in real time, the simulator dating each burst's onset) `--runs` times and sums
up the delays it reports, per platform and sample rate.

    .venv/bin/python benchmarks/audio_in.py [--runs 2]
"""

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict

from _setup import ROOT, machine, percentile

LINE = re.compile(r"^(\w+) (\d+) Hz: socket -> heard \[([\d, ]+)\] ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    print(machine())
    delays: dict[str, list[float]] = defaultdict(list)
    env = {**os.environ, "NOTULA_TEST_DB_NAME": os.environ.get("NOTULA_TEST_DB_NAME", "bench_notula_audio_in")}
    for _ in range(args.runs):
        command = [sys.executable, "-m", "pytest", "tests/test_audio_in_simulator.py", "-s", "-p", "no:cacheprovider"]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            sys.exit(result.stdout[-3000:])
        for line in result.stdout.splitlines():
            match = LINE.match(line.strip())
            if match:
                platform, rate, values = match.groups()
                delays[f"{platform}, {rate} Hz"] += [float(v) for v in values.split(",")]
    print("| case | bursts | p50 | p95 | max |")
    print("| --- | --- | --- | --- | --- |")
    for case, values in delays.items():
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        print(f"| {case} | {len(values)} | {p50:.0f} ms | {p95:.0f} ms | {max(values):.0f} ms |")


if __name__ == "__main__":
    main()
