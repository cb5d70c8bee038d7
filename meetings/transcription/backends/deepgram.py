"""Deepgram's pre-recorded API: `POST {NOTULA_DEEPGRAM_URL}/v1/listen` with the audio as the body.

The key goes as `Authorization: Token <key>`; the answer's `results.channels[0].alternatives[0]`
holds the transcript, its confidence and the words (seconds, with `punctuated_word` under
`smart_format`). Live streaming over the same path's WebSocket is `meetings.transcription.streaming`.
"""

import numpy as np
from django.conf import settings

from meetings.transcription.backends.cloud import (
    CloudBackend,
    http_error,
    pieces_from_words,
    provider_key,
    provider_model,
)
from meetings.transcription.backends.openai_compatible import wav_bytes
from meetings.transcription.base import Transcription, Word, mean_confidence
from meetings.transcription.languages import language_code

DEFAULT_MODEL = "nova-3"


def listen_params(model: str, language: str | None) -> dict[str, str]:
    params = {"model": model, "smart_format": "true", "punctuate": "true"}
    if language:
        params["language"] = language
    else:
        params["detect_language"] = "true"
    return params


class DeepgramBackend(CloudBackend):
    name = "deepgram"
    provider = "Deepgram"

    def request(self, audio: np.ndarray, *, language: str | None, prompt: str | None) -> Transcription:
        key = provider_key(self.options, settings.DEEPGRAM_API_KEY, self.provider)
        response = self.session.post(
            f"{settings.DEEPGRAM_URL.rstrip('/')}/v1/listen",
            params=listen_params(provider_model(self.options, DEFAULT_MODEL), language),
            data=wav_bytes(audio),
            headers={"Authorization": f"Token {key}", "Content-Type": "audio/wav"},
            timeout=settings.CLOUD_ASR_TIMEOUT_S,
        )
        if response.status_code != 200:
            raise http_error(self.provider, response)
        return parse_listen(response.json(), language=language)


def words_of(alternative: dict) -> tuple[Word, ...]:
    return tuple(
        Word(
            (w.get("punctuated_word") or w["word"]).strip(),
            round(float(w["start"]) * 1000),
            round(float(w["end"]) * 1000),
            w.get("confidence"),
        )
        for w in alternative.get("words") or ()
        if str(w.get("word", "")).strip()
    )


def parse_listen(body: dict, *, language: str | None) -> Transcription:
    channel = (body.get("results", {}).get("channels") or [{}])[0]
    alternative = (channel.get("alternatives") or [{}])[0]
    text = (alternative.get("transcript") or "").strip()
    words = words_of(alternative)
    confidence = alternative.get("confidence")
    pieces = pieces_from_words(words, text, confidence)
    return Transcription(
        text=text,
        language=language_code(channel.get("detected_language")) or (language or ""),
        language_probability=channel.get("language_confidence"),
        pieces=pieces,
        confidence=mean_confidence([confidence] if confidence is not None else []),
    )
