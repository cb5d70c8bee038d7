"""A local AssemblyAI: `POST /v2/upload`, `POST /v2/transcript`, `GET /v2/transcript/{id}` and the
Universal-Streaming v3 socket `/v3/ws` (`Begin`, `Turn` with `end_of_turn` and `turn_is_formatted`,
`Terminate` / `Termination`), as AssemblyAI's public API reference describes them. The key is the
`Authorization` header as is; errors are `{"error": ...}`. The words are the packaged Whisper
model's, heard from the audio sent."""

import json
import threading
import time
import uuid

import numpy as np

from tests.provider_servers import websocket
from tests.provider_servers.base import JsonHandler
from tests.provider_servers.speech import SAMPLE_RATE, Utterances, decode_upload, pcm16

ERRORS = {
    401: "Authentication error, API token missing/invalid",
    429: "Too many concurrent requests",
    500: "Internal server error",
    503: "Service temporarily unavailable",
}


def bare(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalnum() or ch == "'")


class AssemblyAIHandler(JsonHandler):
    def authorised(self) -> bool:
        key = self.headers.get("Authorization") or self.query.get("token")
        return key == self.server.api_key

    def refuse(self, status: int) -> None:
        self.send_json(status, {"error": ERRORS.get(status, "Request failed")})

    def checked(self) -> int | None:
        """Auth and the faults a test asked for: None when the request was answered already, else
        after how many audio messages a socket is to drop (0: never)."""
        self.record()
        if not self.authorised():
            self.refuse(401)
            return None
        status, drop_after = self.server.faults.take()
        if status:
            self.refuse(status)
            return None
        return drop_after

    def do_POST(self):
        if self.control():
            return
        body = self.body()
        if self.checked() is None:
            return
        store = self.server.store
        if self.path_only == "/v2/upload":
            upload_id = uuid.uuid4().hex
            store[f"upload:{upload_id}"] = body
            host = f"http://{self.headers.get('Host')}"
            return self.send_json(200, {"upload_url": f"{host}/upload/{upload_id}"})
        if self.path_only == "/v2/transcript":
            job = json.loads(body or b"{}")
            data = store.get(f"upload:{str(job.get('audio_url', '')).rsplit('/', 1)[-1]}")
            if data is None:
                return self.send_json(400, {"error": "audio_url: the URL could not be downloaded"})
            if not job.get("speech_models"):
                return self.send_json(400, {"error": "speech_models: this field is required"})
            transcript = {
                "id": str(uuid.uuid4()),
                "status": "queued",
                "audio_url": job["audio_url"],
                "speech_models": job.get("speech_models"),
                "language_code": job.get("language_code") or ("en_us" if not job.get("language_detection") else None),
                "text": None,
                "words": None,
                "confidence": None,
                "audio_duration": None,
            }
            store[transcript["id"]] = transcript
            threading.Thread(target=self.transcribe, args=(transcript, data, job), daemon=True).start()
            return self.send_json(200, transcript)
        self.send_json(404, {"error": "Not found"})

    def transcribe(self, transcript: dict, data: bytes, job: dict) -> None:
        transcript["status"] = "processing"
        try:
            audio = decode_upload(data)
        except Exception:
            transcript.update(status="error", error="Transcoding failed. File does not appear to contain audio.")
            return
        words, text = self.server.model.words(audio)
        transcript.update(
            text=text,
            words=[
                {
                    "text": w["word"],
                    "start": round(w["start"] * 1000),
                    "end": round(w["end"] * 1000),
                    "confidence": round(w["probability"], 4),
                    "speaker": None,
                }
                for w in words
            ],
            confidence=round(float(np.mean([w["probability"] for w in words])), 4) if words else None,
            audio_duration=round(len(audio) / SAMPLE_RATE),
            language_code=transcript["language_code"] or "en",
            language_confidence=0.99 if job.get("language_detection") else None,
            status="completed",
        )

    def do_GET(self):
        if self.control():
            return
        if self.path_only == "/v3/ws" and websocket.is_upgrade(self):
            drop_after = self.checked()
            if drop_after is None:
                return
            return self.stream(websocket.ServerSocket.accept(self), drop_after)
        if self.checked() is None:
            return
        if self.path_only.startswith("/v2/transcript/"):
            transcript = self.server.store.get(self.path_only.rsplit("/", 1)[-1])
            if transcript is None:
                return self.send_json(404, {"error": "Transcript ID not found"})
            return self.send_json(200, transcript)
        self.send_json(404, {"error": "Not found"})

    def stream(self, ws: websocket.ServerSocket, drop_after: int) -> None:
        query = self.query
        silence_ms = int(query.get("min_end_of_turn_silence_when_confident", "400"))
        utterances = Utterances(silence_ms=silence_ms)
        formatted = query.get("format_turns") == "true"
        began, received, seconds, turn = time.time(), 0, 0.0, 0
        ws.send_json({"type": "Begin", "id": str(uuid.uuid4()), "expires_at": int(began) + 3600})

        def send_turn(kind: str, start_ms: int, audio: np.ndarray) -> None:
            nonlocal turn
            if kind == "interim" and ws.behind():
                return
            words, text = self.server.model.words(audio, timed=kind == "final", live=True)
            end = kind == "final"
            items = [
                {
                    "start": start_ms + round(w["start"] * 1000),
                    "end": start_ms + round(w["end"] * 1000),
                    "text": bare(w["word"]),
                    "confidence": round(w["probability"], 4),
                    "word_is_final": end,
                }
                for w in words
            ]
            message = {
                "type": "Turn",
                "turn_order": turn,
                "turn_is_formatted": False,
                "end_of_turn": end,
                "transcript": " ".join(w["text"] for w in items),
                "end_of_turn_confidence": 0.9 if end else 0.1,
                "words": items,
            }
            ws.send_json(message)
            if end and formatted:
                for item, w in zip(items, words, strict=True):
                    item["text"] = w["word"]
                ws.send_json({**message, "turn_is_formatted": True, "transcript": text, "words": items})
            if end:
                turn += 1

        try:
            while True:
                opcode, payload = ws.receive()
                if opcode == websocket.BINARY:
                    received += 1
                    if drop_after and received > drop_after:
                        return ws.drop()
                    audio = pcm16(payload)
                    seconds += len(audio) / SAMPLE_RATE
                    for kind, start_ms, cut in utterances.push(audio):
                        send_turn(kind, start_ms, cut)
                    continue
                message = json.loads(payload)
                if message.get("type") == "ForceEndpoint":
                    for kind, start_ms, cut in utterances.flush():
                        send_turn(kind, start_ms, cut)
                elif message.get("type") == "Terminate":
                    for kind, start_ms, cut in utterances.flush():
                        send_turn(kind, start_ms, cut)
                    ws.send_json(
                        {
                            "type": "Termination",
                            "audio_duration_seconds": round(seconds),
                            "session_duration_seconds": round(time.time() - began),
                        }
                    )
                    return ws.close(1000, "")
        except websocket.Closed:
            return
