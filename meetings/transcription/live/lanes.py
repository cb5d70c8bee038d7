"""The two ASR threads of a live transcriber, so that a slow transcription never stalls the page loop:

- the finals lane runs its jobs (finals, platform captions, insights) one at a time, in the order
  they were queued;
- the partials lane runs only the latest partial due of each stream (the mix, or one track: two
  people speaking at once each get captions), the stream waiting longest first, never queued behind
  a final, so the first caption of an utterance does not wait for the previous utterance's final.

Each lane loads its own engine on its own thread (loading takes a second or more; the runner's
page loop must not stall on it right after admission). The partials lane starts once the finals
lane has its engine: a backend that failed to load has no partials either.
"""

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Job = Callable[[Any], None]  # called with the lane's engine


class AsrLanes:
    def __init__(
        self,
        *,
        name: str,
        load_final: Callable[[], Any] | None,
        load_partial: Callable[[], Any] | None,
        on_thread_exit: Callable[[], None] = lambda: None,
    ):
        """`load_final` None: the finals lane runs jobs without an engine (platform captions).
        `load_partial` None: no partials lane."""
        self.name = name
        self.engine: Any = None
        self.partial_engine: Any = None
        self.failed = False  # the finals engine could not be loaded: jobs needing it are dropped
        self.call_ms = 0.0  # running average of one partial's wall time, measured on its lane
        self._load_final = load_final
        self._load_partial = load_partial
        self._on_thread_exit = on_thread_exit
        self._finals: deque[Job] = deque()
        self._partials: dict[str, tuple[str, Job]] = {}  # stream -> (utterance, job), oldest first
        self._cv = threading.Condition()
        self._closing = False
        self._engine_ready = threading.Event()
        self._threads = [threading.Thread(target=self._run_finals, name=f"asr-{name}", daemon=True)]
        if load_partial is not None:
            self._threads.append(threading.Thread(target=self._run_partials, name=f"asr-partials-{name}", daemon=True))
        for thread in self._threads:
            thread.start()

    def queue(self, job: Job, *, replaces_partial_of: str = "") -> None:
        """Run `job` on the finals lane after what is queued; a pending partial of
        `replaces_partial_of` is dropped (its final is on the way)."""
        with self._cv:
            self._finals.append(job)
            if replaces_partial_of:
                for stream, (key, _job) in list(self._partials.items()):
                    if key == replaces_partial_of:
                        del self._partials[stream]
            self._cv.notify_all()

    def offer_partial(self, key: str, job: Job, *, stream: str = "") -> None:
        """The latest partial due of `stream`; replaces that stream's one not started yet."""
        with self._cv:
            # A stream already waiting keeps its place in the order (a dict keeps where a key went in).
            self._partials[stream] = (key, job)
            self._cv.notify_all()

    def close(self) -> None:
        """Run what is queued (not a pending partial), stop the threads, release the engines."""
        with self._cv:
            self._closing = True
            self._partials.clear()
            self._cv.notify_all()
        for thread in self._threads:
            thread.join()
        for engine in (self.engine, self.partial_engine):
            if engine is not None:
                engine.close()

    def _run_finals(self) -> None:
        try:
            if self._load_final is not None:
                try:
                    self.engine = self._load_final()
                except Exception:
                    # No transcript rather than no recording: the bot stays in the call.
                    log.exception("Live transcription %s: the ASR model could not be loaded", self.name)
                    self.failed = True
                finally:
                    self._engine_ready.set()
            while True:
                with self._cv:
                    while not self._finals and not self._closing:
                        self._cv.wait()
                    if not self._finals:
                        return
                    job = self._finals.popleft()
                if self.failed:
                    continue
                try:
                    job(self.engine)
                except Exception:
                    log.exception("Live transcription %s: a job failed", self.name)
        finally:
            self._engine_ready.set()
            self._on_thread_exit()

    def _run_partials(self) -> None:
        try:
            self._engine_ready.wait()
            if self.failed or self._load_partial is None:
                return
            self.partial_engine = self._load_partial()
            while True:
                with self._cv:
                    while not self._partials and not self._closing:
                        self._cv.wait()
                    if not self._partials:
                        return
                    stream = next(iter(self._partials))
                    _, job = self._partials.pop(stream)
                began = time.monotonic()
                try:
                    job(self.partial_engine)
                except Exception:
                    log.exception("Live transcription %s: a partial failed", self.name)
                spent = (time.monotonic() - began) * 1000
                self.call_ms = spent if not self.call_ms else 0.7 * self.call_ms + 0.3 * spent
        except Exception:
            log.exception("Live transcription %s: partials stopped", self.name)
        finally:
            self._on_thread_exit()
