"""What each provider's streaming socket is: its URL and key header, the message that ends a
stream, and its messages read as `StreamResult`s. Times are milliseconds from the first sample sent
on the socket."""

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from meetings.transcription.backends.cloud import provider_key, provider_model
from meetings.transcription.base import BackendOptions, Word


@dataclass(frozen=True)
class StreamResult:
    key: str  # the same for every result of one stretch of speech on one socket
    final: bool
    text: str
    start_ms: int
    end_ms: int
    words: tuple[Word, ...]
    confidence: float | None


def socket_url(base: str, path: str, params: dict[str, str]) -> str:
    base = base.rstrip("/")
    if base.startswith("https://"):
        base = "wss://" + base[len("https://") :]
    elif base.startswith("http://"):
        base = "ws://" + base[len("http://") :]
    return f"{base}{path}?{urlencode(params)}"


class DeepgramLive:
    """`wss://api.deepgram.com/v1/listen`: linear16 audio in binary frames; `Results` messages back,
    interim ones while the words may still change, then `is_final`; `CloseStream` ends it."""

    provider = "Deepgram"
    finish = json.dumps({"type": "CloseStream"})
    keep_alive = json.dumps({"type": "KeepAlive"})

    def __init__(self, options: BackendOptions, language: str | None):
        self.key = provider_key(options, settings.DEEPGRAM_API_KEY, self.provider)
        params = {
            "model": provider_model(options, "nova-3"),
            "encoding": "linear16",
            "sample_rate": "16000",
            "channels": "1",
            "interim_results": "true",
            "smart_format": "true",
            "punctuate": "true",
            # The same pause that ends an utterance in the local pipeline.
            "endpointing": str(settings.ASR_VAD_SILENCE_MS),
            "language": language or "multi",
        }
        self.url = socket_url(settings.DEEPGRAM_URL, "/v1/listen", params)
        self.headers = {"Authorization": f"Token {self.key}"}

    def parse(self, message: dict) -> list[StreamResult]:
        if message.get("type") != "Results":
            return []
        alternative = ((message.get("channel") or {}).get("alternatives") or [{}])[0]
        text = (alternative.get("transcript") or "").strip()
        if not text:
            return []
        start_ms = round(float(message.get("start", 0)) * 1000)
        end_ms = start_ms + round(float(message.get("duration", 0)) * 1000)
        words = tuple(
            Word(
                (w.get("punctuated_word") or w["word"]).strip(),
                round(float(w["start"]) * 1000),
                round(float(w["end"]) * 1000),
                w.get("confidence"),
            )
            for w in alternative.get("words") or ()
        )
        final = bool(message.get("is_final"))
        return [StreamResult(f"dg{start_ms}", final, text, start_ms, end_ms, words, alternative.get("confidence"))]

    def done(self, message: dict) -> bool:
        return message.get("type") == "Metadata"


class AssemblyAILive:
    """`wss://streaming.assemblyai.com/v3/ws` (Universal-Streaming): pcm_s16le audio in binary
    frames; `Begin`, then `Turn`s (`end_of_turn` false while the turn grows, then true, and once
    more formatted with `format_turns`); `Terminate` ends it with `Termination`."""

    provider = "AssemblyAI"
    finish = json.dumps({"type": "Terminate"})
    keep_alive = ""

    def __init__(self, options: BackendOptions, language: str | None):
        self.key = provider_key(options, settings.ASSEMBLYAI_API_KEY, self.provider)
        params = {
            "sample_rate": "16000",
            "encoding": "pcm_s16le",
            "format_turns": "true",
            "min_end_of_turn_silence_when_confident": str(settings.ASR_VAD_SILENCE_MS),
        }
        if language and language != "en":
            params["speech_model"] = "universal-streaming-multilingual"
        self.url = socket_url(settings.ASSEMBLYAI_STREAMING_URL, "/v3/ws", params)
        self.headers = {"Authorization": self.key}

    def parse(self, message: dict) -> list[StreamResult]:
        if message.get("type") != "Turn":
            return []
        end_of_turn = bool(message.get("end_of_turn"))
        if end_of_turn and not message.get("turn_is_formatted"):
            return []  # the formatted one follows (format_turns)
        text = (message.get("transcript") or "").strip()
        words = tuple(
            Word(w["text"].strip(), int(w["start"]), int(w["end"]), w.get("confidence"))
            for w in message.get("words") or ()
            if str(w.get("text", "")).strip()
        )
        if not text or not words:
            return []
        confidences = [w.probability for w in words if w.probability is not None]
        confidence = round(sum(confidences) / len(confidences), 3) if confidences else None
        key = f"aai{message.get('turn_order', 0)}"
        return [StreamResult(key, end_of_turn, text, words[0].start_ms, words[-1].end_ms, words, confidence)]

    def done(self, message: dict) -> bool:
        return message.get("type") == "Termination"


CLIENTS = {"deepgram": DeepgramLive, "assemblyai": AssemblyAILive}
