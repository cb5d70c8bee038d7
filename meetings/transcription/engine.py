"""Where ASR runs: in this process (`inline`), or on the `asr_live` Celery queue (`workers`).

In workers mode an utterance is sent as a task with a reply key; the worker (which loaded the model
once and keeps it) pushes the result onto that Redis list. Each lane of a transcriber (finals,
partials) keeps one request in flight at a time, so its finals come back in the order they were spoken.
"""

import base64
import json
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict

import numpy as np
import redis
from django.conf import settings

from meetings.transcription.base import (
    BackendOptions,
    Transcription,
    float_to_pcm16,
    transcription_from_dict,
    transcription_to_dict,
)
from meetings.transcription.registry import CLOUD_BACKENDS, UnknownBackend, backend_class, backend_get

log = logging.getLogger(__name__)
REPLY_TTL_S = 300


class AsrUnavailable(Exception):
    """No ASR worker answered in time."""


_executors: dict[tuple[BackendOptions, str], ThreadPoolExecutor] = {}
_executors_lock = threading.Lock()
LANES = ("final", "partial")


def model_thread(options: BackendOptions, lane: str = "final") -> ThreadPoolExecutor:
    """The long-lived thread that runs this model's calls of one lane (finals or partials) in this process.

    OpenMP-based runtimes (CTranslate2) keep a thread team per calling thread; bots' ASR threads come
    and go, and calls from ever new threads into one model were seen to hang. So each lane has one
    thread for good. Partials have their own lane so that a caption never waits for a final; a
    backend that cannot run two calls at once (`parallel_calls`) has one lane for both.
    """
    try:
        if not backend_class(options.backend).parallel_calls:
            lane = "final"
    except UnknownBackend:
        lane = "final"
    with _executors_lock:
        executor = _executors.get((options, lane))
        if executor is None:
            executor = _executors[(options, lane)] = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix=f"asr-model-{lane}"
            )
        return executor


def preload(options: BackendOptions, *, mode: str | None = None) -> None:
    """Load (and warm) the model on its thread now, without waiting: a bot calls this before it joins.

    Importing the runtime, loading the weights and the first call's allocations cost a second or
    more of CPU; done while the bot waits in the lobby they no longer delay its first utterance.
    """
    try:
        if (mode or settings.ASR_MODE) != "inline" or not backend_class(options.backend).transcribes_audio:
            return
    except UnknownBackend:
        return  # the transcriber reports it when the call starts
    # Each lane warms its own thread (and, on CTranslate2, its own replica).
    threads = {model_thread(options, lane) for lane in LANES}
    for thread in threads:
        thread.submit(_load_and_warm, options)


def _load_and_warm(options: BackendOptions) -> None:
    try:
        backend = backend_get(options)
        warm_up = getattr(backend, "warm_up", None)
        if warm_up is not None:
            warm_up()
    except Exception:
        # The transcriber loads it again when the call starts, and reports the failure then.
        log.warning("The ASR model %s/%s could not be preloaded", options.backend, options.model, exc_info=True)


class InlineEngine:
    def __init__(self, options: BackendOptions, *, lane: str = "final"):
        self.options = options
        self.thread = model_thread(options, lane)
        self.backend = self.thread.submit(backend_get, options).result()

    def transcribe(
        self, audio: np.ndarray, *, language: str | None, final: bool, prompt: str | None = None
    ) -> Transcription:
        return self.thread.submit(
            self.backend.transcribe,
            audio,
            language=language,
            beam_size=settings.ASR_BEAM_SIZE if final else 1,
            word_timestamps=final,
            prompt=prompt if final else None,
            # Partials always decode the utterance's own length; finals as ASR_FINAL_WINDOW says.
            utterance=not final or settings.ASR_FINAL_WINDOW == "utterance",
        ).result()

    def close(self) -> None:
        pass


class WorkerEngine:
    def __init__(self, options: BackendOptions, *, timeout_s: float | None = None):
        self.options = options
        self.timeout_s = timeout_s or settings.ASR_WORKER_TIMEOUT_S
        self.redis = redis.Redis.from_url(settings.REDIS_URL)
        self.reply_key = f"notula:asr:reply:{uuid.uuid4().hex}"

    def transcribe(
        self, audio: np.ndarray, *, language: str | None, final: bool, prompt: str | None = None
    ) -> Transcription:
        from meetings.tasks import transcribe_utterance

        request_id = uuid.uuid4().hex
        transcribe_utterance.apply_async(
            kwargs={
                "reply_key": self.reply_key,
                "request_id": request_id,
                "audio_b64": base64.b64encode(float_to_pcm16(audio)).decode(),
                "options": asdict(self.options),
                "language": language,
                "final": final,
                "prompt": prompt,
            },
            queue="asr_live",
            # Work nobody waits for any more is dropped instead of delaying fresher utterances.
            expires=self.timeout_s,
        )
        while True:
            item = self.redis.blpop([self.reply_key], timeout=self.timeout_s)
            if item is None:
                raise AsrUnavailable(f"No ASR worker answered within {self.timeout_s:.0f} s.")
            reply = json.loads(item[1])
            if reply["request_id"] != request_id:
                continue  # the late answer to a request that timed out earlier
            if reply.get("error"):
                raise AsrUnavailable(reply["error"])
            return transcription_from_dict(reply["result"])

    def close(self) -> None:
        self.redis.delete(self.reply_key)
        self.redis.close()


def engine_for(options: BackendOptions, *, mode: str | None = None, lane: str = "final"):
    """An engine for one lane of a live transcriber: its finals, or its partials."""
    mode = mode or settings.ASR_MODE
    if options.backend in CLOUD_BACKENDS:
        # A cloud call costs this machine nothing, and the provider key stays off the task queue.
        mode = "inline"
    if mode == "workers":
        return WorkerEngine(options)  # each engine has its own reply list: one request in flight per lane
    if mode != "inline":
        raise ValueError(f"NOTULA_ASR_MODE must be 'inline' or 'workers', not '{mode}'.")
    return InlineEngine(options, lane=lane)


def worker_transcribe(
    *,
    reply_key: str,
    request_id: str,
    audio_b64: str,
    options: dict,
    language: str | None,
    final: bool,
    prompt: str | None = None,
) -> None:
    """Run on an ASR worker: transcribe and push the answer to the caller's reply list."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        audio = np.frombuffer(base64.b64decode(audio_b64), dtype=np.int16).astype(np.float32) / 32768.0
        result = InlineEngine(BackendOptions(**options)).transcribe(
            audio, language=language, final=final, prompt=prompt
        )
        reply = {"request_id": request_id, "result": transcription_to_dict(result)}
    except Exception as exc:
        log.exception("ASR request %s failed", request_id)
        reply = {"request_id": request_id, "error": f"{type(exc).__name__}: {exc}"}
    pipe = client.pipeline()
    pipe.rpush(reply_key, json.dumps(reply))
    pipe.expire(reply_key, REPLY_TTL_S)
    pipe.execute()
    client.close()
