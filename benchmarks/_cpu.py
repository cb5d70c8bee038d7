"""CPU seconds per kind of process (chromium, runner, server, postgres, ...) over a benchmark run.

A background thread reads /proc/<pid>/stat once a second and keeps, per process, the last user+system
time seen, so processes that end during the run still count (up to their last sample).
"""

import os
import threading
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _kind(cmdline: str, comm: str, own: int, pid: int) -> str:
    if pid == own:
        return "benchmark"
    if "chromedriver" in cmdline:
        return "chromedriver"
    if "chromium" in cmdline or comm.startswith("chromium"):
        # Which of Chromium's processes: the browser, renderer (the page), gpu, utility (audio, network).
        kind = next((arg[7:] for arg in cmdline.split() if arg.startswith("--type=")), "browser")
        service = next((arg.split(".")[-1] for arg in cmdline.split() if arg.startswith("--utility-sub-type=")), "")
        return f"chromium {kind}" + (f" {service}" if service else "")
    if "runserver" in cmdline:
        return "server"
    if "celery" in cmdline and " worker" in cmdline:
        return "celery worker"
    if "multiprocessing" in cmdline and "python" in cmdline:
        return "runner"
    if comm.startswith("postgres") or cmdline.startswith("postgres"):
        return "postgres"
    if comm.startswith("redis"):
        return "redis"
    if comm.startswith("espeak") or comm.startswith("ffmpeg"):
        return "media tools"
    return "other"


class _Sampler:
    """Calls `_sample` every `interval_s` from a thread of its own, and once more when stopped."""

    def __init__(self, interval_s: float, thread_name: str | None = None) -> None:
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=thread_name, daemon=True)

    def _sample(self) -> None:
        raise NotImplementedError

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._sample()

    def _halt(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


class CpuByKind(_Sampler):
    """`names` gives a benchmark's own names: by pid, or in place of a kind (`{"runner": "publisher"}`).
    `chromium_threads`: Chromium's CPU by process kind and thread name too (the audio output, the
    AudioWorklet, WebRTC's network thread...), which shows where a page's share goes."""

    def __init__(self, interval_s: float = 1.0, names: dict | None = None, chromium_threads: bool = False) -> None:
        super().__init__(interval_s)
        self.names = names or {}
        self.threads: _ThreadsOf | None = _ThreadsOf() if chromium_threads else None
        self._seen: dict[tuple[int, int], tuple[str, float]] = {}  # (pid, start time) -> (kind, cpu s)
        self._start: dict[tuple[int, int], float] = {}
        self._own = os.getpid()
        self._wall = 0.0

    def _sample(self) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            comm = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            cpu = (int(fields[11]) + int(fields[12])) / TICKS
            key = (int(entry.name), int(fields[19]))
            if key not in self._seen:
                self._start[key] = cpu if self._seen_any else 0.0
                kind = _kind(cmdline, comm, self._own, key[0])
                kind = self.names.get(key[0]) or self.names.get(kind, kind)
                if kind == "other":
                    kind = f"other: {comm}"
            else:
                kind = self._seen[key][0]
            self._seen[key] = (kind, cpu)
            if self.threads is not None and kind.startswith("chromium"):
                self.threads.sample(entry, kind)

    def start(self) -> "CpuByKind":
        import time

        self._seen_any = False
        self._sample()
        # Processes alive at the start count from there, not from their own start.
        self._seen_any = True
        for key, (_, cpu) in self._seen.items():
            self._start[key] = cpu
        if self.threads is not None:
            self.threads.mark_start()
        self._began = time.monotonic()
        self._thread.start()
        return self

    def stop(self) -> dict:
        """Cores used per kind over the run (CPU seconds / wall seconds), biggest first."""
        import time

        self._halt()
        wall = time.monotonic() - self._began
        totals: dict[str, float] = {}
        for key, (kind, cpu) in self._seen.items():
            totals[kind] = totals.get(kind, 0.0) + cpu - self._start.get(key, 0.0)
        others = {kind: seconds for kind, seconds in totals.items() if kind.startswith("other: ")}
        # The biggest few processes outside the benchmark by name; the rest as one figure.
        for kind in sorted(others, key=others.get)[:-3]:
            totals["other"] = totals.get("other", 0.0) + totals.pop(kind)
        cores = {kind: round(seconds / wall, 3) for kind, seconds in sorted(totals.items(), key=lambda x: -x[1])}
        chromium = sum(seconds for kind, seconds in totals.items() if kind.startswith("chromium"))
        result = {
            "wall_s": round(wall, 1),
            "cores": cores,
            "cores_chromium": round(chromium / wall, 3),
            "cores_total": round(sum(totals.values()) / wall, 2),
        }
        if self.threads is not None:
            result["chromium_cores_by_thread"] = self.threads.cores(wall)
        return result


def threads_cpu(process: Path, kind: str) -> dict[tuple[str, str], tuple[str, float]]:
    """(pid, tid) -> ("kind | thread name", CPU seconds) of each thread of a /proc/<pid> entry;
    numbered threads (pool workers) share their name."""
    seen: dict[tuple[str, str], tuple[str, float]] = {}
    try:
        tasks = list((process / "task").iterdir())
    except OSError:
        return seen
    for task in tasks:
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")].rstrip("0123456789")
        fields = stat[stat.rindex(")") + 2 :].split()
        seen[(process.name, task.name)] = (f"{kind} | {name}", (int(fields[11]) + int(fields[12])) / TICKS)
    return seen


class _ThreadsOf:
    """CPU seconds per (process kind, thread name) of the processes it is shown; the 20 biggest."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], tuple[str, float]] = {}  # (pid, tid) -> (kind | name, cpu s)
        self._start: dict[tuple[str, str], float] = {}
        self._started = False

    def sample(self, process: Path, kind: str) -> None:
        for key, (label, cpu) in threads_cpu(process, kind).items():
            if key not in self._seen:
                self._start[key] = cpu if self._started else 0.0
            self._seen[key] = (label, cpu)

    def mark_start(self) -> None:
        self._started = True
        self._start = {key: cpu for key, (_, cpu) in self._seen.items()}

    def cores(self, wall: float) -> dict:
        totals: dict[str, float] = {}
        for key, (label, cpu) in self._seen.items():
            totals[label] = totals.get(label, 0.0) + cpu - self._start.get(key, 0.0)
        biggest = sorted(totals.items(), key=lambda x: -x[1])[:20]
        return {label: round(seconds / wall, 3) for label, seconds in biggest}


def _thread_kind(name: str) -> str:
    if name == "MainThread":
        return "page loop"
    if name.startswith("asr-model"):
        return "asr model"
    if name.startswith("asr-"):
        return "asr jobs (events, database)"
    # Numbered pool threads fold into one.
    return name.rstrip("0123456789_-")


class ThreadCpu(_Sampler):
    """CPU seconds per thread name inside this process (page loop, ASR thread, model thread, ...)."""

    def __init__(self, interval_s: float = 0.5) -> None:
        super().__init__(interval_s, thread_name="cpu-sampler")
        self._seen: dict[int, tuple[str, float]] = {}

    def _sample(self) -> None:
        import time

        for thread in threading.enumerate():
            try:
                cpu = time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
            except (OSError, TypeError):
                continue
            name = _thread_kind(thread.name)
            self._seen[thread.ident] = (name, cpu)

    def start(self) -> "ThreadCpu":
        self._thread.start()
        return self

    def stop(self) -> dict:
        self._halt()
        totals: dict[str, float] = {}
        for name, cpu in self._seen.values():
            totals[name] = totals.get(name, 0.0) + cpu
        return {name: round(seconds, 2) for name, seconds in sorted(totals.items(), key=lambda x: -x[1])}
