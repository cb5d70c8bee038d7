"""A small transcription server speaking OpenAI's `POST /v1/audio/transcriptions`, backed by Notula's
own backends: ASR for machines that have no GPU of their own (point NOTULA_ASR_API_URL at it), and the
server the openai-compatible backend is tested against (`serve_in_thread`).
"""

import json
import logging
import math
import tempfile
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from meetings.transcription.audio import AudioDecodeError, decode
from meetings.transcription.base import BackendOptions
from meetings.transcription.languages import language_option

log = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 100 * 1024 * 1024


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, list[str]], dict[str, bytes]]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode() + body
    )
    fields: dict[str, list[str]] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            files[name] = payload
        else:
            fields.setdefault(name, []).append(payload.decode())
    return fields, files


class TranscriptionServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, *, backend: str, device: str = "cpu", compute_type: str = "int8", api_key: str = ""):
        super().__init__(address, _Handler)
        # Models load on first use and stay loaded (the registry's cache).
        self.backend_name, self.device, self.compute_type, self.api_key = backend, device, compute_type, api_key

    def transcribe(self, audio, *, model: str, language: str | None, words: bool, prompt: str | None):
        from meetings.transcription.registry import backend_get

        options = BackendOptions(self.backend_name, model, self.device, self.compute_type)
        return backend_get(options).transcribe(
            audio, language=language, beam_size=5, word_timestamps=words, prompt=prompt, vad_filter=True
        )


class _Handler(BaseHTTPRequestHandler):
    server: TranscriptionServer

    def log_message(self, format, *args):
        log.debug("asr server: " + format, *args)

    def _reply(self, status: int, body, content_type: str = "application/json") -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._reply(status, {"error": {"message": message, "type": "invalid_request_error"}})

    def do_GET(self):
        if self.path == "/v1/models":
            return self._reply(200, {"object": "list", "data": []})
        self._error(404, "not found")

    def do_POST(self):
        if self.path.split("?")[0] != "/v1/audio/transcriptions":
            return self._error(404, "not found")
        if self.server.api_key and self.headers.get("Authorization") != f"Bearer {self.server.api_key}":
            return self._error(401, "invalid api key")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_UPLOAD_BYTES:
            return self._error(413, "file too large")
        fields, files = parse_multipart(self.headers.get("Content-Type", ""), self.rfile.read(length))
        if "file" not in files:
            return self._error(400, "file is required")
        first = {k: v[0] for k, v in fields.items()}
        granularities = fields.get("timestamp_granularities[]", [])
        with tempfile.NamedTemporaryFile(suffix=".bin") as tmp:
            tmp.write(files["file"])
            tmp.flush()
            try:
                audio = decode(tmp.name)
            except AudioDecodeError as exc:
                return self._error(400, f"could not decode audio: {exc}")
        result = self.server.transcribe(
            audio,
            model=first.get("model") or "tiny.en",
            language=language_option(first.get("language")),
            words="word" in granularities,
            prompt=first.get("prompt"),
        )
        fmt = first.get("response_format", "json")
        if fmt == "text":
            return self._reply(200, result.text, "text/plain; charset=utf-8")
        if fmt != "verbose_json":
            return self._reply(200, {"text": result.text})
        self._reply(
            200,
            {
                "task": "transcribe",
                "language": result.language,
                "duration": round(len(audio) / 16000, 3),
                "text": result.text,
                "segments": [
                    {
                        "id": i,
                        "start": p.start_ms / 1000,
                        "end": p.end_ms / 1000,
                        "text": p.text,
                        "avg_logprob": None if not p.confidence else math.log(p.confidence),
                    }
                    for i, p in enumerate(result.pieces)
                ],
                "words": [
                    {"word": w.text, "start": w.start_ms / 1000, "end": w.end_ms / 1000, "probability": w.probability}
                    for w in result.words
                ],
            },
        )


def serve_in_thread(host: str = "127.0.0.1", port: int = 0, **kwargs) -> TranscriptionServer:
    server = TranscriptionServer((host, port), **kwargs)
    threading.Thread(target=server.serve_forever, daemon=True, name="asr-http").start()
    return server
