"""A local Deepgram: pre-recorded `POST /v1/listen` and live `wss://.../v1/listen`, as Deepgram's
public API reference describes them (`Authorization: Token <key>`, `results.channels[].alternatives[]`,
`Results` messages with `is_final` / `speech_final`, `KeepAlive`, `Finalize`, `CloseStream`,
`Metadata`; errors as `{"err_code", "err_msg", "request_id"}`). The words are the packaged Whisper
model's, heard from the audio sent."""

import json
import uuid

import numpy as np

from tests.provider_servers import websocket
from tests.provider_servers.base import JsonHandler
from tests.provider_servers.speech import SAMPLE_RATE, Utterances, decode_upload, pcm16

ERRORS = {
    401: ("INVALID_AUTH", "Invalid credentials."),
    429: ("TOO_MANY_REQUESTS", "Too many requests. Please try again later."),
    500: ("INTERNAL_SERVER_ERROR", "An internal server error occurred."),
    503: ("SERVICE_UNAVAILABLE", "Service unavailable."),
}


def alternative(words: list[dict], text: str, offset_s: float, punctuate: bool) -> dict:
    out = []
    for w in words:
        bare = "".join(ch for ch in w["word"].lower() if ch.isalnum() or ch == "'")
        item = {
            "word": bare,
            "start": round(w["start"] + offset_s, 3),
            "end": round(w["end"] + offset_s, 3),
            "confidence": round(w["probability"], 4),
        }
        if punctuate:
            item["punctuated_word"] = w["word"]
        out.append(item)
    transcript = text if punctuate else " ".join(w["word"] for w in out)
    confidence = round(float(np.mean([w["probability"] for w in words])), 4) if words else 0.0
    return {"transcript": transcript, "confidence": confidence, "words": out}


class DeepgramHandler(JsonHandler):
    def authorised(self) -> bool:
        return self.headers.get("Authorization") == f"Token {self.server.api_key}"

    def refuse(self, status: int) -> None:
        code, message = ERRORS.get(status, ("REQUEST_FAILED", "The request failed."))
        self.send_json(status, {"err_code": code, "err_msg": message, "request_id": str(uuid.uuid4())})

    def do_POST(self):
        if self.control():
            return
        self.record()
        body = self.body()
        if self.path_only != "/v1/listen":
            return self.send_json(404, {"err_code": "NOT_FOUND", "err_msg": "Not found."})
        if not self.authorised():
            return self.refuse(401)
        status, _ = self.server.faults.take()
        if status:
            return self.refuse(status)
        try:
            audio = decode_upload(body)
        except Exception:
            return self.send_json(400, {"err_code": "Bad Request", "err_msg": "Bad Request: failed to process audio"})
        words, text = self.server.model.words(audio)
        punctuate = self.query.get("smart_format") == "true" or self.query.get("punctuate") == "true"
        channel: dict = {"alternatives": [alternative(words, text, 0.0, punctuate)]}
        if self.query.get("detect_language") == "true":
            channel.update(detected_language="en", language_confidence=0.99)
        request_id = str(uuid.uuid4())
        self.send_json(
            200,
            {
                "metadata": {
                    "transaction_key": "deprecated",
                    "request_id": request_id,
                    "duration": round(len(audio) / SAMPLE_RATE, 3),
                    "channels": 1,
                    "models": [str(uuid.uuid5(uuid.NAMESPACE_DNS, self.query.get("model", "base")))],
                },
                "results": {"channels": [channel]},
            },
        )

    def do_GET(self):
        if self.control():
            return
        self.record()
        if self.path_only != "/v1/listen" or not websocket.is_upgrade(self):
            return self.send_json(404, {"err_code": "NOT_FOUND", "err_msg": "Not found."})
        if not self.authorised():
            return self.refuse(401)
        status, drop_after = self.server.faults.take()
        if status:
            return self.refuse(status)
        self.stream(websocket.ServerSocket.accept(self), drop_after)

    def stream(self, ws: websocket.ServerSocket, drop_after: int) -> None:
        query = self.query
        endpointing = query.get("endpointing", "10")
        silence_ms = 10_000 if endpointing == "false" else max(int(endpointing), 10)
        utterances = Utterances(silence_ms=silence_ms)
        interim = query.get("interim_results") == "true"
        punctuate = query.get("smart_format") == "true" or query.get("punctuate") == "true"
        request_id, received, seconds = str(uuid.uuid4()), 0, 0.0

        def results(kind: str, start_ms: int, audio: np.ndarray, *, from_finalize: bool = False) -> None:
            if kind == "interim" and (not interim or ws.behind()):
                return
            words, text = self.server.model.words(audio, timed=kind == "final", live=True)
            final = kind == "final"
            ws.send_json(
                {
                    "type": "Results",
                    "channel_index": [0, 1],
                    "duration": round(len(audio) / SAMPLE_RATE, 3),
                    "start": start_ms / 1000,
                    "is_final": final,
                    "speech_final": final and not from_finalize,
                    "channel": {"alternatives": [alternative(words, text, start_ms / 1000, punctuate)]},
                    "metadata": {"request_id": request_id, "model_info": {"name": query.get("model", "base")}},
                    "from_finalize": from_finalize,
                }
            )

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
                        results(kind, start_ms, cut)
                    continue
                message = json.loads(payload)
                if message.get("type") == "Finalize":
                    for kind, start_ms, cut in utterances.flush():
                        results(kind, start_ms, cut, from_finalize=True)
                elif message.get("type") == "CloseStream":
                    for kind, start_ms, cut in utterances.flush():
                        results(kind, start_ms, cut)
                    ws.send_json(
                        {
                            "type": "Metadata",
                            "transaction_key": "deprecated",
                            "request_id": request_id,
                            "duration": round(seconds, 3),
                            "channels": 1,
                        }
                    )
                    return ws.close(1000, "")
        except websocket.Closed:
            return
