"""Memory of whole bots over a benchmark run: the proportional set size (PSS) of every process a bot is
made of (its runner with its share of the model, Chromium's processes, chromedriver), summed.

PSS splits each shared page between the processes that map it, so the sum over all bots' processes is
what the bots cost the machine together, shared libraries and model weights counted once.
"""

from pathlib import Path

from _cpu import _kind, _Sampler

BOT_KINDS = ("runner", "chromium", "chromedriver")


def pss_kb(pid: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class BotMemory(_Sampler):
    """The bots' PSS sampled every `interval_s`; `stop()` gives its peak, in total and per kind."""

    def __init__(self, bots: int, interval_s: float = 5.0) -> None:
        super().__init__(interval_s, thread_name="pss-sampler")
        self.bots = bots
        self._own = 0
        self.peak_kb = 0
        self.peak_by_kind: dict[str, int] = {}

    def _sample(self) -> None:
        by_kind: dict[str, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                comm = (entry / "comm").read_text().strip()
            except OSError:
                continue
            kind = _kind(cmdline, comm, self._own, int(entry.name))
            if kind.startswith(BOT_KINDS):
                kind = kind.split()[0]
                by_kind[kind] = by_kind.get(kind, 0) + pss_kb(entry.name)
        total = sum(by_kind.values())
        if total > self.peak_kb:
            self.peak_kb, self.peak_by_kind = total, by_kind

    def start(self) -> "BotMemory":
        import os

        self._own = os.getpid()
        self._thread.start()
        return self

    def stop(self) -> dict:
        self._halt()
        return {
            "pss_peak_mb": round(self.peak_kb / 1024),
            "pss_per_bot_mb": round(self.peak_kb / 1024 / max(self.bots, 1)),
            "pss_peak_mb_by_kind": {kind: round(kb / 1024) for kind, kb in sorted(self.peak_by_kind.items())},
        }
