"""faster-whisper (CTranslate2): the default backend, CPU int8/float32 or CUDA float16."""

import numpy as np

from meetings.transcription.base import BackendOptions, Piece, Transcription, Word, mean_confidence
from meetings.transcription.weights import ct2_model_path

SAMPLE_RATE = 16000
# Live partials of up to this long take the short-window path.
SHORT_WINDOW_MAX_S = 20
LEAD_IN_SAMPLES = SAMPLE_RATE * 3 // 10


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
        if not word_timestamps and language and len(audio) < SHORT_WINDOW_MAX_S * SAMPLE_RATE:
            return self._short_window(audio, language=language)
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

    def _short_window(self, audio: np.ndarray, *, language: str) -> Transcription:
        """Greedy decoding over the utterance's own length instead of a padded 30 s window.

        faster-whisper always encodes 30 s; for a 3 s live partial the encoder then does ten times
        the work. CTranslate2 accepts shorter inputs, so partials encode only what was said (plus a
        second): 4-7 times cheaper. The length cap and the n-gram ban stop the repetitions that a
        short window can provoke; finals still take the full window (and word timings).
        """
        import ctranslate2
        from faster_whisper.tokenizer import Tokenizer

        tokenizer = Tokenizer(self.model.hf_tokenizer, self.multilingual, task="transcribe", language=language)
        # A little silence before the first word, as a padded window has after it: without it the
        # first words of a window that starts right at speech onset come out garbled.
        audio = np.concatenate([np.zeros(LEAD_IN_SAMPLES, dtype=np.float32), audio.astype(np.float32)])
        features = self.model.feature_extractor(audio, padding=SAMPLE_RATE)
        features = ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None], dtype=np.float32))
        seconds = (len(audio) - LEAD_IN_SAMPLES) / SAMPLE_RATE
        result = self.model.model.generate(
            features,
            [[*tokenizer.sot_sequence, tokenizer.no_timestamps]],
            beam_size=1,
            max_length=min(self.model.max_length, int(seconds * 6) + 12),
            no_repeat_ngram_size=3,
            suppress_blank=True,
            return_scores=True,
        )[0]
        text = tokenizer.decode(result.sequences_ids[0]).strip()
        confidence = float(np.exp(result.scores[0])) if result.scores else None
        pieces = [Piece(text, 0, round(seconds * 1000), (), confidence)] if text else []
        return Transcription(
            text=text, language=language, language_probability=1.0, pieces=pieces, confidence=confidence
        )
