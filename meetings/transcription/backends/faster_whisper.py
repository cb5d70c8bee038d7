"""faster-whisper (CTranslate2): the default backend, CPU int8/float32 or CUDA float16."""

import zlib

import numpy as np

from meetings.transcription.base import BackendOptions, Piece, Transcription, Word, mean_confidence
from meetings.transcription.devices import device_check
from meetings.transcription.weights import ct2_model_path

SAMPLE_RATE = 16000
FRAMES_PER_SECOND = 100  # Whisper's log-mel frames (a hop of 10 ms)
# Live utterances of up to this long take the short-window path.
SHORT_WINDOW_MAX_S = 20
LEAD_IN_SAMPLES = SAMPLE_RATE * 3 // 10
# Silence after the utterance: with 1 s tiny.en often read the utterance a second time into it.
PADDING_SAMPLES = SAMPLE_RATE * 2
# A run of this many tokens said twice in one utterance is the decoder looping, not speech.
LOOP_TOKENS = 6
# The end of the previous text given as context (Whisper's own limit is 223 tokens).
PROMPT_TOKENS = 64
# faster-whisper's defaults for a window without speech.
NO_SPEECH_THRESHOLD = 0.6
LOG_PROB_THRESHOLD = -1.0
# faster-whisper's defaults: punctuation that joins the next / the previous word.
PREPEND_PUNCTUATIONS = "\"'“¿([{-"
APPEND_PUNCTUATIONS = "\"'.。,，!！?？:：”)]}、"


class FasterWhisperBackend:
    name = "faster-whisper"
    transcribes_audio = True
    parallel_calls = True

    def __init__(self, options: BackendOptions):
        from faster_whisper import WhisperModel

        device_check(options.device, self.name)
        self.options = options
        self.model = WhisperModel(
            ct2_model_path(options.model),
            device=options.device,
            compute_type=options.compute_type,
            cpu_threads=options.cpu_threads,
            # Two model replicas: CTranslate2 runs calls from two threads in parallel only on separate
            # replicas, and a live transcriber decodes its partials beside its finals.
            num_workers=2,
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
        utterance: bool = False,
    ) -> Transcription:
        if not self.multilingual:
            language = "en"
        if utterance and language and len(audio) < SHORT_WINDOW_MAX_S * SAMPLE_RATE:
            result = self._short_window(
                audio, language=language, beam_size=beam_size, words=word_timestamps, prompt=prompt
            )
            if result is not None:
                return result
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

    def warm_up(self) -> None:
        """One short decode, so the first live utterance does not pay for the runtime's first-call setup."""
        self.transcribe(
            np.zeros(SAMPLE_RATE // 2, dtype=np.float32), language="en", word_timestamps=True, utterance=True
        )

    def _short_window(
        self, audio: np.ndarray, *, language: str, beam_size: int, words: bool, prompt: str | None = None
    ) -> Transcription | None:
        """Decode one live utterance over its own length instead of a padded 30 s window.

        faster-whisper always encodes 30 s; for a 3 s utterance the encoder then does ten times the
        work. CTranslate2 accepts shorter inputs, so live partials and finals encode only what was
        said plus 0.3 s of lead-in and 2 s of padding: 4-6 times cheaper, the same words. Finals
        align their tokens on the same encoder output for word timings (as faster-whisper does on
        its 30 s window). A short window can make the decoder read the utterance twice: partials
        decode with a tight length cap and a ban on repeated 3-grams; finals are cut where a run of
        tokens comes back, and one that still looks like a loop (it hit its length cap or compresses
        too well) returns None, so the caller takes the full window.
        """
        import ctranslate2
        from faster_whisper.tokenizer import Tokenizer

        tokenizer = Tokenizer(self.model.hf_tokenizer, self.multilingual, task="transcribe", language=language)
        # A little silence before the first word, as a padded window has after it: without it the
        # first words of a window that starts right at speech onset come out garbled.
        padded = np.concatenate([np.zeros(LEAD_IN_SAMPLES, dtype=np.float32), audio.astype(np.float32)])
        features = self.model.feature_extractor(padded, padding=PADDING_SAMPLES)
        content_frames = len(padded) * FRAMES_PER_SECOND // SAMPLE_RATE
        features = ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None], dtype=np.float32))
        encoded = self.model.model.encode(features, to_cpu=False)
        seconds = len(audio) / SAMPLE_RATE
        previous = tokenizer.encode(" " + prompt.strip())[-PROMPT_TOKENS:] if prompt and prompt.strip() else []
        start = [tokenizer.sot_prev, *previous] if previous else []
        start += [*tokenizer.sot_sequence, tokenizer.no_timestamps]
        cap = len(start) + (int(seconds * 8) + 16 if words else int(seconds * 6) + 12)
        result = self.model.model.generate(
            encoded,
            [start],
            beam_size=beam_size if words else 1,
            max_length=min(self.model.max_length, cap),
            no_repeat_ngram_size=0 if words else 3,
            suppress_blank=True,
            return_scores=True,
            return_no_speech_prob=True,
        )[0]
        tokens = [t for t in result.sequences_ids[0] if t < tokenizer.eot]
        if result.no_speech_prob > NO_SPEECH_THRESHOLD:
            if result.scores and result.scores[0] < LOG_PROB_THRESHOLD:
                tokens = []  # noise, not speech: faster-whisper drops such a window the same way
            elif words:
                return None  # maybe noise read as a word or two: the full window's rules decide
        looped = _loop_start(tokens) if words else None
        tokens = tokens[:looped]
        text = tokenizer.decode(tokens).strip()
        confidence = round(float(np.exp(result.scores[0])), 3) if result.scores else None
        if not words:
            pieces = [Piece(text, 0, round(seconds * 1000), (), confidence)] if text else []
        elif (looped is None and len(start) + len(tokens) >= min(self.model.max_length, cap)) or (
            get_compression_ratio(text) > 2.4
        ):
            return None
        else:
            timed = self._word_timings(tokenizer, tokens, encoded, content_frames, seconds)
            start_ms, end_ms = (timed[0].start_ms, timed[-1].end_ms) if timed else (0, round(seconds * 1000))
            pieces = [Piece(text, start_ms, end_ms, timed, confidence)] if text else []
        return Transcription(
            text=text, language=language, language_probability=1.0, pieces=pieces, confidence=confidence
        )

    def _word_timings(self, tokenizer, tokens: list[int], encoded, frames: int, seconds: float) -> tuple[Word, ...]:
        from faster_whisper.transcribe import merge_punctuations

        if not tokens:
            return ()
        alignment = self.model.find_alignment(tokenizer, [tokens], encoded, frames)[0]
        merge_punctuations(alignment, PREPEND_PUNCTUATIONS, APPEND_PUNCTUATIONS)
        lead_in, timed = LEAD_IN_SAMPLES / SAMPLE_RATE, []
        for item in alignment:
            text = item["word"].strip()
            if not text:
                continue
            # Times on the lead-in or the padding belong to the nearest edge of the utterance.
            start = min(max(float(item["start"]) - lead_in, 0.0), seconds)
            end = min(max(float(item["end"]) - lead_in, start), seconds)
            timed.append(Word(text, round(start * 1000), round(end * 1000), float(item["probability"])))
        return tuple(timed)


def _loop_start(tokens: list[int]) -> int | None:
    """Where the decoder started repeating itself: the second occurrence of a LOOP_TOKENS-long run."""
    seen = set()
    for i in range(len(tokens) - LOOP_TOKENS + 1):
        run = tuple(tokens[i : i + LOOP_TOKENS])
        if run in seen:
            return i
        seen.add(run)
    return None


def get_compression_ratio(text: str) -> float:
    """How well the text compresses: a looping decoder's output compresses far better than speech."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0
