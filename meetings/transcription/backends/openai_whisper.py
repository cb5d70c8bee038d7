"""openai-whisper (PyTorch): the reference implementation of the same model family.

Weights are a `.pt` checkpoint; names such as `tiny.en` are converted once from the packaged
CTranslate2 model (see convert.py), so nothing is downloaded.
"""

import json
from pathlib import Path

import numpy as np

from meetings.transcription.base import BackendOptions, Piece, Transcription, Word, mean_confidence
from meetings.transcription.devices import device_check
from meetings.transcription.weights import ct2_model_path, openai_whisper_checkpoint


class OpenAIWhisperBackend:
    name = "openai-whisper"
    transcribes_audio = True
    # Decoding installs key-value cache hooks on the shared model: two decodes at once would mix them.
    parallel_calls = False

    def __init__(self, options: BackendOptions):
        import torch
        import whisper

        device_check(options.device, self.name)
        self.options = options
        if options.cpu_threads:
            torch.set_num_threads(options.cpu_threads)
        self.model = whisper.load_model(openai_whisper_checkpoint(options.model), device=options.device)
        self.multilingual = self.model.is_multilingual
        self._set_alignment_heads(options.model)
        self.fp16 = options.device == "cuda" and options.compute_type in ("float16", "default")

    def _set_alignment_heads(self, name: str) -> None:
        """Word timings need the cross-attention heads that align with speech; CTranslate2 keeps them."""
        import torch

        try:
            config = Path(ct2_model_path(name)) / "config.json"
            heads = json.loads(config.read_text()).get("alignment_heads") if config.exists() else None
        except Exception:
            heads = None
        if not heads:
            return
        dims = self.model.dims
        mask = torch.zeros(dims.n_text_layer, dims.n_text_head, dtype=torch.bool)
        for layer, head in heads:
            mask[layer, head] = True
        self.model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)

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
        if not self.multilingual:
            language = "en"
        result = self.model.transcribe(
            audio.astype(np.float32),
            language=language or None,
            beam_size=beam_size if beam_size > 1 else None,
            word_timestamps=word_timestamps,
            condition_on_previous_text=False,
            initial_prompt=prompt,
            fp16=self.fp16,
            verbose=None,
        )
        pieces = []
        for segment in result["segments"]:
            words = tuple(
                Word(w["word"].strip(), round(w["start"] * 1000), round(w["end"] * 1000), w.get("probability"))
                for w in segment.get("words", ())
                if w["word"].strip()
            )
            text = segment["text"].strip()
            if text:
                confidence = float(np.exp(segment["avg_logprob"]))
                start_ms, end_ms = round(segment["start"] * 1000), round(segment["end"] * 1000)
                pieces.append(Piece(text, start_ms, end_ms, words, confidence))
        return Transcription(
            text=" ".join(p.text for p in pieces),
            language=result.get("language") or (language or ""),
            pieces=pieces,
            confidence=mean_confidence([p.confidence for p in pieces if p.confidence is not None]),
        )
