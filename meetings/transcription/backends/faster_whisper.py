"""faster-whisper (CTranslate2): the default backend, CPU int8/float32 or CUDA float16."""

import numpy as np

from meetings.transcription.base import BackendOptions, Piece, Transcription, Word, mean_confidence
from meetings.transcription.weights import ct2_model_path


class FasterWhisperBackend:
    name = "faster-whisper"
    transcribes_audio = True

    def __init__(self, options: BackendOptions):
        from faster_whisper import WhisperModel

        self.options = options
        self.model = WhisperModel(
            ct2_model_path(options.model),
            device=options.device,
            compute_type=options.compute_type,
            cpu_threads=options.cpu_threads,
            local_files_only=True,
        )
        self.multilingual = self.model.model.is_multilingual

    def transcribe(
        self,
        audio: np.ndarray,
        *,
        language: str | None,
        beam_size: int = 1,
        word_timestamps: bool = True,
        prompt: str | None = None,
        vad_filter: bool = False,
    ) -> Transcription:
        if not self.multilingual:
            language = "en"
        segments, info = self.model.transcribe(
            audio,
            language=language or None,
            beam_size=beam_size,
            word_timestamps=word_timestamps,
            without_timestamps=not word_timestamps,
            condition_on_previous_text=False,
            initial_prompt=prompt,
            vad_filter=vad_filter,
        )
        pieces = []
        for segment in segments:
            words = tuple(
                Word(w.word.strip(), round(w.start * 1000), round(w.end * 1000), w.probability)
                for w in (segment.words or ())
                if w.word.strip()
            )
            text = segment.text.strip()
            if text:
                pieces.append(
                    Piece(
                        text,
                        round(segment.start * 1000),
                        round(segment.end * 1000),
                        words,
                        float(np.exp(segment.avg_logprob)),
                    )
                )
        return Transcription(
            text=" ".join(p.text for p in pieces),
            language=info.language,
            language_probability=info.language_probability,
            pieces=pieces,
            confidence=mean_confidence([p.confidence for p in pieces if p.confidence is not None]),
        )
