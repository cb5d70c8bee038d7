"""The Deepgram and AssemblyAI backends against local servers that speak each provider's protocol
(tests/provider_servers) and hear the audio with the packaged Whisper model: batch calls, streaming
sockets, and what happens when the provider refuses, rate-limits, drops the socket or stays away."""

import pytest

from meetings.timeline import SpeakerTimeline
from meetings.transcription.backends.assemblyai import AssemblyAIBackend
from meetings.transcription.backends.cloud import CloudAsrFailed
from meetings.transcription.backends.deepgram import DeepgramBackend
from meetings.transcription.base import BackendOptions
from meetings.transcription.metrics import wer
from meetings.transcription.streaming import StreamingTranscriber
from tests.asr_script import SCRIPT, render, speak, trim
from tests.asr_support import feed
from tests.provider_servers.process import provider_server
from tests.test_transcription_results import Collected

pytestmark = pytest.mark.asr

SENTENCE = "Good morning everyone. Today we will talk about the budget for next year."
BATCH = {"deepgram": DeepgramBackend, "assemblyai": AssemblyAIBackend}


@pytest.fixture(scope="module")
def sentence_audio():
    return trim(speak(SENTENCE, "en-us"))


@pytest.fixture(scope="module")
def servers():
    with provider_server("deepgram") as deepgram, provider_server("assemblyai") as assemblyai:
        yield {"deepgram": deepgram, "assemblyai": assemblyai}


@pytest.fixture
def providers(servers, settings):
    settings.DEEPGRAM_URL = servers["deepgram"].url
    settings.ASSEMBLYAI_URL = servers["assemblyai"].url
    settings.ASSEMBLYAI_STREAMING_URL = servers["assemblyai"].url.replace("http://", "ws://")
    settings.DEEPGRAM_API_KEY = settings.ASSEMBLYAI_API_KEY = ""
    settings.CLOUD_ASR_RETRY_BASE_S = 0.05
    settings.CLOUD_ASR_ATTEMPTS = 3
    settings.CLOUD_ASR_FALLBACK = False
    settings.CLOUD_ASR_TIMEOUT_S = 60  # a loaded test machine decodes slowly
    for server in servers.values():
        server.faults(count=0)
    return servers


def _backend(name: str, key: str = "test-key"):
    return BATCH[name](BackendOptions(name, "tiny.en", api_key=key))


@pytest.mark.parametrize("name", ["deepgram", "assemblyai"])
def test_batch_transcription_returns_the_words_said(name, providers, sentence_audio):
    before = len(providers[name].log())
    result = _backend(name).transcribe(sentence_audio, language="en")
    assert wer(SENTENCE, result.text) <= 0.1
    assert [w.text for w in result.words][:2] == ["Good", "morning"] and 0 < result.confidence <= 1
    assert result.words[-1].end_ms <= len(sentence_audio) // 16 + 100
    calls = providers[name].log()[before:]
    expected_auth = "Token test-key" if name == "deepgram" else "test-key"
    assert calls and all(call["auth"] == expected_auth for call in calls)
    if name == "deepgram":
        assert calls[0]["path"] == "/v1/listen" and calls[0]["query"]["model"] == "nova-3"
    else:
        assert [c["path"] for c in calls[:2]] == ["/v2/upload", "/v2/transcript"]
        assert calls[-1]["path"].startswith("/v2/transcript/")


@pytest.mark.parametrize("name", ["deepgram", "assemblyai"])
def test_rate_limits_are_tried_again_with_backoff(name, providers, sentence_audio):
    providers[name].faults(status=429, count=2)
    before = len(providers[name].log())
    result = _backend(name).transcribe(sentence_audio, language="en")
    assert wer(SENTENCE, result.text) <= 0.1
    assert len(providers[name].log()) - before >= 3  # two refused, then through


@pytest.mark.parametrize("name", ["deepgram", "assemblyai"])
def test_a_wrong_key_fails_with_the_reason_after_every_try(name, providers, sentence_audio):
    before = len(providers[name].log())
    with pytest.raises(CloudAsrFailed) as failure:
        _backend(name, key="wrong").transcribe(sentence_audio, language="en")
    assert "401" in str(failure.value) and "3 of 3 tries" in str(failure.value)
    assert len(providers[name].log()) - before == 3


@pytest.mark.parametrize("name", ["deepgram", "assemblyai"])
def test_a_provider_that_stalls_times_out_on_every_try_then_falls_back_when_set(
    name, providers, settings, sentence_audio
):
    settings.CLOUD_ASR_TIMEOUT_S, settings.CLOUD_ASR_ATTEMPTS = 1, 2
    providers[name].faults(hang_s=4, count=2)
    with pytest.raises(CloudAsrFailed, match=r"did not answer within 1 s \(after 2 of 2 tries\)"):
        _backend(name).transcribe(sentence_audio, language="en")
    providers[name].faults(hang_s=4, count=2)
    settings.CLOUD_ASR_FALLBACK = True
    result = _backend(name).transcribe(sentence_audio, language="en")
    assert wer(SENTENCE, result.text) <= 0.1  # heard by the local model


def test_an_unreachable_provider_falls_back_to_the_local_model_when_set(settings, sentence_audio):
    settings.DEEPGRAM_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.CLOUD_ASR_ATTEMPTS, settings.CLOUD_ASR_RETRY_BASE_S = 2, 0.01
    settings.CLOUD_ASR_FALLBACK = False
    with pytest.raises(CloudAsrFailed, match="could not be reached"):
        _backend("deepgram").transcribe(sentence_audio, language="en")
    settings.CLOUD_ASR_FALLBACK = True
    result = _backend("deepgram").transcribe(sentence_audio, language="en")
    assert wer(SENTENCE, result.text) <= 0.1


def _stream(name: str, *, key: str = "test-key", lines=2):
    audio, spoken = render(SCRIPT[:lines])
    ids = {"Alice Smith": "par_alice", "Bob Jones": "par_bob"}
    sink = Collected()
    transcriber = StreamingTranscriber(
        sink=sink,
        settings={"backend": name, "api_key": key, "language": "en", "partials": True},
        timeline=SpeakerTimeline(),
    )
    feed(transcriber, audio, spoken, ids, pace=2.0)
    transcriber.close()
    return transcriber, sink, spoken


@pytest.mark.parametrize("name", ["deepgram", "assemblyai"])
def test_streaming_gives_captions_then_segments_with_speakers(name, providers):
    transcriber, sink, spoken = _stream(name)
    assert not transcriber.failure
    segments = sink.of("segment")
    assert wer(" ".join(line.text for line in spoken), " ".join(s.text for s in segments)) <= 0.2
    assert [s.speaker for s in segments][0] == "Alice Smith" and segments[-1].speaker == "Bob Jones"
    assert all(s.backend == name and s.words for s in segments)
    captions = sink.of("caption")
    assert captions, "interim results become captions"
    # No caption of an utterance after its segment.
    finished = set()
    for kind, item in sink.items:
        if kind == "segment":
            finished.add(item.utterance_id)
        elif kind == "caption":
            assert item.utterance_id not in finished
    assert sink.of("language") == ["en"]


@pytest.mark.parametrize("name", ["deepgram", "assemblyai"])
def test_a_dropped_socket_is_opened_again_and_no_words_are_lost(name, providers):
    providers[name].faults(drop_after=15, count=1)  # 1.5 s into the first line
    before = len([c for c in providers[name].log() if c["method"] == "GET"])
    transcriber, sink, spoken = _stream(name)
    assert not transcriber.failure
    sockets = len([c for c in providers[name].log() if c["method"] == "GET"]) - before
    assert sockets == 2
    assert wer(" ".join(line.text for line in spoken), " ".join(s.text for s in sink.of("segment"))) <= 0.2


@pytest.mark.parametrize("name", ["deepgram", "assemblyai"])
def test_a_refused_stream_ends_with_the_reason(name, providers):
    transcriber, sink, _ = _stream(name, key="wrong", lines=1)
    assert "401" in transcriber.failure and "after 3 of 3 tries" in transcriber.failure
    assert not sink.of("segment")


def test_a_refused_stream_falls_back_to_the_local_model_when_set(providers, settings):
    settings.CLOUD_ASR_FALLBACK = True
    transcriber, sink, spoken = _stream("deepgram", key="wrong")
    assert not transcriber.failure and transcriber.fallback is not None
    segments = sink.of("segment")
    assert wer(" ".join(line.text for line in spoken), " ".join(s.text for s in segments)) <= 0.2
    assert {s.backend for s in segments} == {"faster-whisper"}
