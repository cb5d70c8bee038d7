"""What the cloud speech-to-text backends (Deepgram, AssemblyAI) share: the key, tries with backoff,
and what happens after the last try (the local model, or a failure with a reason a person can act on).
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import requests
from django.conf import settings

from meetings.transcription.base import BackendOptions, Piece, Transcription, Word

log = logging.getLogger(__name__)
T = TypeVar("T")
# The names of the packaged Whisper models mean "the provider's default model" to a cloud backend
# (a bot's settings are completed with the server's NOTULA_ASR_MODEL).
WHISPER_NAMES = ("tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en")


class CloudAsrError(Exception):
    """One failed call to a provider; `retry`: whether another try may succeed."""

    def __init__(self, reason: str, *, retry: bool):
        super().__init__(reason)
        self.reason, self.retry = reason, retry


class CloudAsrFailed(Exception):
    """A provider could not transcribe after every try; the reason is in the user's words."""


def http_error(provider: str, response: requests.Response) -> CloudAsrError:
    """A provider's HTTP error as a reason: 401/403 (the key), 429 (rate limit), 5xx (the provider)."""
    detail = response.text[:200].strip()
    status = response.status_code
    if status in (401, 403):
        return CloudAsrError(f"{provider} refused the API key ({status}): check transcription.api_key", retry=True)
    if status == 429:
        return CloudAsrError(f"{provider} is rate-limiting this key (429)", retry=True)
    if status >= 500:
        return CloudAsrError(f"{provider} had an error ({status}): {detail}", retry=True)
    return CloudAsrError(f"{provider} refused the request ({status}): {detail}", retry=False)


def network_error(provider: str, exc: Exception) -> CloudAsrError:
    if isinstance(exc, requests.Timeout | TimeoutError):
        return CloudAsrError(f"{provider} did not answer within {settings.CLOUD_ASR_TIMEOUT_S:g} s", retry=True)
    return CloudAsrError(f"{provider} could not be reached ({type(exc).__name__})", retry=True)


def with_retries(provider: str, call: Callable[[], T]) -> T:
    """`call()` until it succeeds or a try fails for good; waits double between tries."""
    attempts = max(1, settings.CLOUD_ASR_ATTEMPTS)
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except (requests.RequestException, OSError) as exc:
            error = network_error(provider, exc)
        except CloudAsrError as exc:
            error = exc
        if not error.retry or attempt == attempts:
            raise CloudAsrFailed(f"{error.reason} (after {attempt} of {attempts} tries)") from error
        wait = settings.CLOUD_ASR_RETRY_BASE_S * 2 ** (attempt - 1)
        log.warning("%s: %s; trying again in %.1f s", provider, error.reason, wait)
        time.sleep(wait)
    raise AssertionError("unreachable")


# A pause this long between two words starts a new piece (a segment of the transcript).
PIECE_GAP_MS = 700


def pieces_from_words(words: tuple[Word, ...], text: str, confidence: float | None) -> list[Piece]:
    """A provider's words cut into pieces at pauses, so a whole recording is not one segment."""
    if not words:
        return [Piece(text, 0, 0, (), confidence)] if text else []
    runs: list[list[Word]] = [[words[0]]]
    for previous, word in zip(words, words[1:], strict=False):
        if word.start_ms - previous.end_ms >= PIECE_GAP_MS:
            runs.append([])
        runs[-1].append(word)
    if len(runs) == 1 and text:
        return [Piece(text, words[0].start_ms, words[-1].end_ms, words, confidence)]
    return [
        Piece(" ".join(w.text for w in run), run[0].start_ms, run[-1].end_ms, tuple(run), confidence) for run in runs
    ]


def provider_key(options: BackendOptions, server_key: str, provider: str) -> str:
    key = options.api_key or server_key
    if not key:
        raise CloudAsrFailed(f"{provider} needs an API key: give transcription.api_key or set the server's key")
    return key


def provider_model(options: BackendOptions, default: str) -> str:
    return default if not options.model or options.model in WHISPER_NAMES else options.model


class CloudBackend:
    """A provider's batch transcription behind the `Backend` interface, with tries and the fallback."""

    name = ""
    provider = ""
    transcribes_audio = True
    parallel_calls = True  # each call is its own request
    multilingual = True

    def __init__(self, options: BackendOptions):
        self.options = options
        self.session = requests.Session()

    def request(self, audio: np.ndarray, *, language: str | None, prompt: str | None) -> Transcription:
        raise NotImplementedError

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None,
        beam_size: int = 1,
        word_timestamps: bool = True,
        prompt: str | None = None,
        vad_filter: bool = False,
        utterance: bool = False,
    ) -> Transcription:
        try:
            return with_retries(self.provider, lambda: self.request(audio, language=language, prompt=prompt))
        except CloudAsrFailed as failure:
            if not settings.CLOUD_ASR_FALLBACK:
                raise
            log.warning("%s failed (%s): transcribing with the local model", self.provider, failure)
            return local_fallback(audio, language=language, beam_size=beam_size, word_timestamps=word_timestamps)


def local_fallback(audio: np.ndarray, *, language: str | None, beam_size: int, word_timestamps: bool) -> Transcription:
    from meetings.transcription.registry import backend_get

    local = backend_get(
        BackendOptions(
            "faster-whisper",
            settings.ASR_MODEL,
            settings.ASR_DEVICE,
            settings.ASR_COMPUTE_TYPE,
            settings.ASR_CPU_THREADS,
        )
    )
    return local.transcribe(audio, language=language, beam_size=beam_size, word_timestamps=word_timestamps)
