"""Any server that implements `POST /v1/audio/transcriptions` (self-hosted Whisper servers, hosted APIs)."""

import io
import wave

import numpy as np
import requests
from django.conf import settings

from meetings.transcription.base import BackendOptions, Piece, Transcription, Word, float_to_pcm16, mean_confidence
from meetings.transcription.languages import language_code


class TranscriptionServerError(Exception):
    pass


def wav_bytes(audio: np.ndarray, sample_rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(float_to_pcm16(audio))
    return buffer.getvalue()


class OpenAICompatibleBackend:
    name = "openai-compatible"
    transcribes_audio = True
    parallel_calls = True  # each call is its own HTTP request

    def __init__(self, options: BackendOptions, *, base_url: str | None = None, api_key: str | None = None):
        self.options = options
        self.base_url = (base_url or settings.ASR_API_URL).rstrip("/")
        if not self.base_url:
            raise TranscriptionServerError("The openai-compatible backend needs NOTULA_ASR_API_URL.")
        if self.base_url.endswith("/v1"):
            self.base_url = self.base_url[: -len("/v1")]
        self.api_key = api_key if api_key is not None else settings.ASR_API_KEY
        self.session = requests.Session()
        self.multilingual = True

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
        data: list[tuple[str, str]] = [("model", self.options.model), ("response_format", "verbose_json")]
        if language:
            data.append(("language", language))
        if prompt:
            data.append(("prompt", prompt))
        data.append(("timestamp_granularities[]", "segment"))
        if word_timestamps:
            data.append(("timestamp_granularities[]", "word"))
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        response = self.session.post(
            f"{self.base_url}/v1/audio/transcriptions",
            data=data,
            files={"file": ("audio.wav", wav_bytes(audio), "audio/wav")},
            headers=headers,
            timeout=settings.ASR_API_TIMEOUT_S,
        )
        if response.status_code != 200:
            raise TranscriptionServerError(f"Server answered {response.status_code}: {response.text[:300]}")
        return parse_verbose_json(response.json())


def parse_verbose_json(body: dict) -> Transcription:
    """OpenAI's verbose_json: text, language, segments[{start, end, text, avg_logprob}], words[{word, start, end}]."""
    words = [
        Word(w["word"].strip(), round(float(w["start"]) * 1000), round(float(w["end"]) * 1000), w.get("probability"))
        for w in body.get("words") or ()
        if str(w.get("word", "")).strip()
    ]
    pieces = []
    for segment in body.get("segments") or ():
        start, end = round(float(segment["start"]) * 1000), round(float(segment["end"]) * 1000)
        inside = tuple(w for w in words if start <= (w.start_ms + w.end_ms) // 2 <= end)
        logprob = segment.get("avg_logprob")
        confidence = float(np.exp(logprob)) if logprob is not None else None
        if segment.get("text", "").strip():
            pieces.append(Piece(segment["text"].strip(), start, end, inside, confidence))
    text = (body.get("text") or "").strip()
    if not pieces and text:
        end = words[-1].end_ms if words else round(float(body.get("duration") or 0) * 1000)
        pieces.append(Piece(text, 0, end, tuple(words)))
    return Transcription(
        text=text or " ".join(p.text for p in pieces),
        language=language_code(body.get("language")),
        pieces=pieces,
        confidence=mean_confidence([p.confidence for p in pieces if p.confidence is not None]),
    )
