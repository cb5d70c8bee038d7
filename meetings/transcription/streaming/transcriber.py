"""A bot's live transcription by a provider's streaming socket: the audio goes out as it comes,
interim results become captions and final ones segments, with speakers from the speaker timeline.

The same audio sink as `LiveTranscriber` (`write`, `captions`, `close`, `failure`). One thread sends
(and connects); one per socket reads. A socket that drops or is refused is opened again with
backoff, and the audio not yet in a final result is sent again, so no words are lost. After the
last try the local model takes over (NOTULA_CLOUD_ASR_FALLBACK) or the transcription ends with the
reason in `failure` (the transcript is then `failed`, never complete with words missing).
"""

import json
import logging
import queue
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.utils import timezone
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.sync.client import ClientConnection, connect

from meetings.transcription.backends.cloud import CloudAsrError, CloudAsrFailed
from meetings.transcription.languages import language_option
from meetings.transcription.registry import options_from_settings
from meetings.transcription.results import Caption, ResultSink, Segment
from meetings.transcription.speakers import attribute, dominant_speaker, words_text
from meetings.transcription.streaming.clients import CLIENTS, StreamResult

log = logging.getLogger(__name__)
STREAMING_BACKENDS = tuple(CLIENTS)
BYTES_PER_MS = 32  # 16 kHz, 16-bit mono
REFUSED = {401: "refused the API key (401): check transcription.api_key", 429: "is rate-limiting this key (429)"}


class StreamingTranscriber:
    def __init__(
        self,
        *,
        sink: ResultSink,
        settings: dict | None = None,
        timeline=None,
        started_at: datetime | None = None,
        name: str = "live",
        **_pipeline_options,  # mode, coach: the local pipeline's; the provider does this work
    ):
        self.transcription = dict(settings or {})
        self.sink, self.timeline, self.started_at, self.name = sink, timeline, started_at, name
        self.options = options_from_settings(self.transcription)
        self.language = language_option(self.transcription.get("language"))
        self.partials = self.transcription.get("partials", True)
        self.failure = ""
        self.fallback = None  # a LiveTranscriber on the local model, once the provider failed for good
        self._reported_language = ""
        self._audio: queue.Queue = queue.Queue()
        self._pending: list[tuple[int, bytes]] = []  # audio not in a final result yet: sent again on a new socket
        self._lock = threading.Lock()
        self._next_ms: int | None = None
        self._socket: ClientConnection | None = None
        self._reader: threading.Thread | None = None
        self._ended = threading.Event()  # the provider answered the end of the stream
        self._connections = 0
        try:
            self.client = CLIENTS[self.options.backend](self.options, self.language)
        except CloudAsrFailed as exc:
            self._give_up(str(exc))
        self._sender = threading.Thread(target=self._send_loop, daemon=True, name=f"stream-{name}")
        self._sender.start()

    # --- the runner's side --------------------------------------------------------------------

    def write(self, pcm: bytes, offset_ms: int) -> None:
        if self.started_at is None:
            self.started_at = timezone.now() - timedelta(milliseconds=offset_ms)
        if self.failure:
            return
        if self._next_ms is not None and offset_ms > self._next_ms + 100:
            # The provider's clock is the audio it was sent: a gap goes as silence.
            self._audio.put((self._next_ms, bytes((offset_ms - self._next_ms) * BYTES_PER_MS)))
        self._next_ms = offset_ms + len(pcm) // BYTES_PER_MS
        self._audio.put((offset_ms, pcm))

    def captions(self, captions) -> None:
        """The platform's captions are not this backend's input."""

    def close(self) -> None:
        self._audio.put(None)
        self._sender.join(timeout=django_settings.CLOUD_ASR_TIMEOUT_S * 2 + 10)
        if self.fallback is not None:
            self.fallback.close()

    # --- sending ------------------------------------------------------------------------------

    def _send_loop(self) -> None:
        try:
            while True:
                item = self._audio.get()
                if item is None:
                    break
                if self.fallback is not None:
                    self.fallback.write(item[1], item[0])
                    continue
                if self.failure:
                    continue
                with self._lock:
                    self._pending.append(item)
                if not self._send(item[1]):
                    self._reconnect()
            if not self.failure and self.fallback is None and self._socket is not None:
                self._finish()
        except Exception:
            log.exception("Streaming transcription %s stopped", self.name)
            self._give_up("the streaming transcription stopped on an error in Notula")
        finally:
            if self._socket is not None:
                self._socket.close()
            getattr(self.sink, "thread_done", lambda: None)()

    def _send(self, data: bytes | str) -> bool:
        if self._socket is None or (self._reader is not None and not self._reader.is_alive()):
            return False
        try:
            self._socket.send(data)
            return True
        except (ConnectionClosed, OSError):
            return False

    def _finish(self) -> None:
        """Ask for the last results and wait for them; a socket that drops now is opened again."""
        for _ in range(max(1, django_settings.CLOUD_ASR_ATTEMPTS)):
            if self._send(self.client.finish) and self._reader is not None:
                self._reader.join(timeout=django_settings.CLOUD_ASR_TIMEOUT_S)
                if self._ended.is_set():
                    return
            if not self._reconnect():
                return
        self._give_up(f"{self.client.provider} did not finish the stream")

    def _reconnect(self) -> bool:
        """A new socket, with the audio not yet finalised sent again; False when it is given up."""
        if self._socket is not None:
            log.info(
                "Streaming transcription %s: the %s socket closed; opening another", self.name, self.client.provider
            )
            self._socket.close()
            self._socket = None
        attempts = max(1, django_settings.CLOUD_ASR_ATTEMPTS)
        for attempt in range(1, attempts + 1):
            try:
                self._open()
                return True
            except CloudAsrError as exc:
                error = exc
            if not error.retry or attempt == attempts:
                self._give_up(f"{error.reason} (after {attempt} of {attempts} tries)")
                return False
            wait = django_settings.CLOUD_ASR_RETRY_BASE_S * 2 ** (attempt - 1)
            log.warning("%s streaming: %s; trying again in %.1f s", self.client.provider, error.reason, wait)
            time.sleep(wait)
        return False

    def _open(self) -> None:
        """Open a socket on its reader's thread (which holds it as a context) and send the pending audio."""
        with self._lock:
            pending = list(self._pending)
        base_ms = pending[0][0] if pending else (self._next_ms or 0)
        self._connections += 1
        opened: queue.Queue = queue.Queue(maxsize=1)
        ended = threading.Event()
        reader = threading.Thread(target=self._read_loop, args=(opened, base_ms, self._connections, ended), daemon=True)
        reader.start()
        try:
            outcome = opened.get(timeout=django_settings.CLOUD_ASR_TIMEOUT_S + 5)
        except queue.Empty:
            outcome = CloudAsrError(f"{self.client.provider} did not open the stream in time", retry=True)
        if isinstance(outcome, CloudAsrError):
            raise outcome
        self._socket, self._reader, self._ended = outcome, reader, ended
        for _, pcm in pending:
            outcome.send(pcm)

    def _connect(self) -> ClientConnection:
        provider = self.client.provider
        try:
            return connect(
                self.client.url,
                additional_headers=self.client.headers,
                open_timeout=django_settings.CLOUD_ASR_TIMEOUT_S,
                compression=None,
            )
        except InvalidStatus as exc:
            status = exc.response.status_code
            reason = REFUSED.get(status, f"refused the stream ({status})")
            raise CloudAsrError(f"{provider} {reason}", retry=status in (401, 408, 429) or status >= 500) from exc
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise CloudAsrError(f"{provider} could not be reached ({type(exc).__name__})", retry=True) from exc

    def _give_up(self, reason: str) -> None:
        if django_settings.CLOUD_ASR_FALLBACK and self.fallback is None:
            from meetings.transcription.live import LiveTranscriber

            log.warning("Streaming transcription %s: %s; the local model takes over", self.name, reason)
            local = {k: v for k, v in self.transcription.items() if k not in ("api_key", "api_key_encrypted")}
            local.update(backend="faster-whisper", model=django_settings.ASR_MODEL)
            self.fallback = LiveTranscriber(
                sink=self.sink, settings=local, timeline=self.timeline, started_at=self.started_at, name=self.name
            )
            with self._lock:
                pending, self._pending = self._pending, []
            for offset_ms, pcm in pending:
                self.fallback.write(pcm, offset_ms)
            return
        log.warning("Streaming transcription %s failed: %s", self.name, reason)
        self.failure = self.failure or reason

    # --- reading ------------------------------------------------------------------------------

    def _read_loop(self, opened: queue.Queue, base_ms: int, connection: int, ended: threading.Event) -> None:
        try:
            socket = self._connect()
        except CloudAsrError as exc:
            opened.put(exc)
            return
        with socket:
            opened.put(socket)
            try:
                for message in socket:
                    data = json.loads(message)
                    for result in self.client.parse(data):
                        self._deliver(result, base_ms, connection)
                    if self.client.done(data):
                        ended.set()
            except ConnectionClosed:
                pass  # the sender sees the reader gone and opens a new socket
            except Exception:
                log.exception("Streaming transcription %s: a result could not be handled", self.name)
            finally:
                # The sink's resources of this thread (a database connection) go with it.
                getattr(self.sink, "thread_done", lambda: None)()

    def _deliver(self, result: StreamResult, base_ms: int, connection: int) -> None:
        start_ms, end_ms = base_ms + result.start_ms, base_ms + result.end_ms
        utterance_id = f"{result.key}c{connection}b{base_ms}"
        if not result.final:
            if self.partials:
                participant_id, speaker = dominant_speaker(self.timeline, start_ms, end_ms)
                language = self.language or ""
                self.sink.caption(
                    Caption(utterance_id, speaker, participant_id, result.text, start_ms, end_ms, language)
                )
            return
        with self._lock:
            # What is final now need not be sent again on a new socket.
            self._pending = [(o, pcm) for o, pcm in self._pending if o + len(pcm) // BYTES_PER_MS > end_ms]
        language = self.language or "en"
        if language != self._reported_language:
            self._reported_language = language
            self.sink.language(language)
        words = [type(w)(w.text, w.start_ms + base_ms, w.end_ms + base_ms, w.probability) for w in result.words]
        turns = attribute(self.timeline, start_ms=start_ms, end_ms=end_ms, words=words)
        for turn in turns:
            text = result.text if len(turns) == 1 else words_text(turn.words)
            self.sink.segment(
                Segment(
                    utterance_id=utterance_id,
                    speaker=turn.speaker,
                    participant_id=turn.participant_id,
                    text=text,
                    start_ms=turn.start_ms,
                    end_ms=turn.end_ms,
                    started_at=(self.started_at or timezone.now()) + timedelta(milliseconds=turn.start_ms),
                    language=language,
                    confidence=result.confidence,
                    words=tuple(turn.words),
                    backend=self.options.backend,
                    model=self.options.model,
                )
            )
