"""AssemblyAI's asynchronous API: upload the audio (`POST /v2/upload`), ask for a transcript of it
(`POST /v2/transcript`), then poll `GET /v2/transcript/{id}` until it is `completed` or `error`.

The key goes as the `authorization` header, as is; words come back in milliseconds.
"""

import time

import numpy as np
from django.conf import settings

from meetings.transcription.backends.cloud import (
    CloudAsrError,
    CloudBackend,
    http_error,
    pieces_from_words,
    provider_key,
    provider_model,
)
from meetings.transcription.backends.openai_compatible import wav_bytes
from meetings.transcription.base import Transcription, Word, mean_confidence
from meetings.transcription.languages import language_code

DEFAULT_MODEL = "universal"
# The first poll comes soon (a live utterance is a few seconds long); later ones thin out.
FIRST_POLL_S, MAX_POLL_S = 0.05, 1.0


class AssemblyAIBackend(CloudBackend):
    name = "assemblyai"
    provider = "AssemblyAI"

    def request(self, audio: np.ndarray, *, language: str | None, prompt: str | None) -> Transcription:
        key = provider_key(self.options, settings.ASSEMBLYAI_API_KEY, self.provider)
        base = settings.ASSEMBLYAI_URL.rstrip("/")
        headers = {"authorization": key}
        timeout = settings.CLOUD_ASR_TIMEOUT_S
        uploaded = self.session.post(
            f"{base}/v2/upload",
            data=wav_bytes(audio),
            headers={**headers, "Content-Type": "application/octet-stream"},
            timeout=timeout,
        )
        if uploaded.status_code != 200:
            raise http_error(self.provider, uploaded)
        # `speech_models`: the models to use, in order of preference (the API requires the list).
        job: dict = {
            "audio_url": uploaded.json()["upload_url"],
            "speech_models": [provider_model(self.options, DEFAULT_MODEL)],
        }
        if language:
            job["language_code"] = language
        else:
            job["language_detection"] = True
        created = self.session.post(f"{base}/v2/transcript", json=job, headers=headers, timeout=timeout)
        if created.status_code != 200:
            raise http_error(self.provider, created)
        body = created.json()
        # A whole recording takes the provider a while (a fraction of its length); an utterance, moments.
        deadline, wait = time.monotonic() + timeout + len(audio) / 16000 / 2, FIRST_POLL_S
        while body.get("status") not in ("completed", "error"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"transcript {body.get('id')} still {body.get('status')}")
            time.sleep(wait)
            wait = min(wait * 2, MAX_POLL_S)
            polled = self.session.get(f"{base}/v2/transcript/{body['id']}", headers=headers, timeout=timeout)
            if polled.status_code != 200:
                raise http_error(self.provider, polled)
            body = polled.json()
        if body["status"] == "error":
            raise CloudAsrError(f"{self.provider} could not transcribe the audio: {body.get('error')}", retry=False)
        return parse_transcript(body, language=language)


def parse_transcript(body: dict, *, language: str | None) -> Transcription:
    words = tuple(
        Word(w["text"].strip(), int(w["start"]), int(w["end"]), w.get("confidence"))
        for w in body.get("words") or ()
        if str(w.get("text", "")).strip()
    )
    text = (body.get("text") or "").strip()
    confidence = body.get("confidence")
    pieces = pieces_from_words(words, text, confidence)
    return Transcription(
        text=text,
        language=language_code(body.get("language_code")) or (language or ""),
        language_probability=body.get("language_confidence"),
        pieces=pieces,
        confidence=mean_confidence([confidence] if confidence is not None else []),
    )
