"""Transcription returns results and writes nothing: the live pipeline run with no database at all,
the package's imports, and a final that hears only Whisper's silence phrases."""

import ast
import threading
from pathlib import Path

import pytest

from meetings.timeline import SpeakerTimeline
from meetings.transcription import registry
from meetings.transcription.base import Piece, Transcription, Word
from meetings.transcription.http_server import TranscriptionServer
from meetings.transcription.live import LiveTranscriber
from meetings.transcription.live.decode import only_silence_phrases
from meetings.transcription.results import Caption, Segment
from tests.asr_script import SCRIPT, render
from tests.asr_support import feed

PACKAGE = Path(__file__).resolve().parent.parent / "meetings" / "transcription"
# What the transcription package may import from Notula: itself and the pure timeline.
ALLOWED = ("meetings.transcription", "meetings.timeline", "meetings.tasks")


class Collected:
    """A result sink that keeps what it is handed, in order (each item: kind, result)."""

    def __init__(self):
        self.items: list[tuple[str, object]] = []
        self.lock = threading.Lock()

    def caption(self, caption: Caption) -> None:
        with self.lock:
            self.items.append(("caption", caption))

    def segment(self, segment: Segment) -> str | None:
        with self.lock:
            self.items.append(("segment", segment))
        return segment.participant_id

    def insight(self, insight: dict) -> None:
        self.items.append(("insight", insight))

    def language(self, language: str) -> None:
        self.items.append(("language", language))

    def of(self, kind: str) -> list:
        return [result for k, result in self.items if k == kind]


def test_the_transcription_package_imports_no_model_and_no_other_app():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                ours = name.split(".")[0] in ("meetings", "bots", "accounts", "webhooks", "dashboard", "simulator")
                assert not ours or name.startswith(ALLOWED), f"{path.relative_to(PACKAGE)} imports {name}"
                assert not name.startswith("django.db"), f"{path.relative_to(PACKAGE)} imports {name}"


@pytest.mark.asr
def test_live_transcription_returns_partials_and_finals_with_no_database():
    # No database fixture: a row written anywhere on this path would fail the test.
    audio, lines = render(SCRIPT[:2])
    ids = {"Alice Smith": "par_alice", "Bob Jones": "par_bob"}
    sink = Collected()
    transcriber = LiveTranscriber(
        sink=sink,
        settings={"backend": "faster-whisper", "model": "tiny.en", "language": "en"},
        timeline=SpeakerTimeline(),
    )
    feed(transcriber, audio, lines, ids, pace=1.0)
    transcriber.close()

    segments = sink.of("segment")
    assert [(s.speaker, s.participant_id) for s in segments] == [(line.speaker, ids[line.speaker]) for line in lines]
    for segment, line in zip(segments, lines, strict=True):
        assert set(line.text.lower().split()[:3]) & set(segment.text.lower().replace(",", "").split())
        assert segment.words and segment.words[0].start_ms >= segment.start_ms - 50
        assert 0 < segment.confidence <= 1 and segment.backend == "faster-whisper"
        assert segment.started_at is not None
    captions = sink.of("caption")
    assert captions and all(c.text for c in captions)
    finished_at = {s.utterance_id: sink.items.index(("segment", s)) for s in segments}
    for caption in captions:
        # No caption of an utterance comes after its segment.
        assert sink.items.index(("caption", caption)) < finished_at.get(caption.utterance_id, len(sink.items))
    assert sink.of("language") == ["en"]


@pytest.mark.parametrize(
    ("text", "silent"),
    [
        ("Thank you.", True),
        ("Thank you. Thank you.", True),
        (" you", True),
        ("Thanks for watching!", True),
        ("Thank you. I will write the release notes today.", False),
        ("Hello, sorry I am late.", False),
        ("", False),
    ],
)
def test_silence_phrases(text, silent):
    assert only_silence_phrases(text) is silent


class _SilentFinalsServer(TranscriptionServer):
    """The local OpenAI-compatible server, answering every final (word timings asked) with the
    phrase Whisper says over a cut fragment; partials are transcribed for real."""

    def transcribe(self, audio, *, words: bool, **kwargs):
        if words:
            self.finals += 1
            return Transcription(
                "Thank you.",
                "en",
                pieces=[Piece("Thank you.", 0, 600, (Word("Thank", 0, 300, 0.4), Word("you.", 300, 600, 0.4)))],
            )
        return super().transcribe(audio, words=words, **kwargs)


@pytest.mark.asr
def test_a_final_of_only_silence_phrases_does_not_replace_what_the_partial_heard(settings, monkeypatch):
    server = _SilentFinalsServer(("127.0.0.1", 0), backend="faster-whisper")
    server.finals = 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ASR_API_URL = f"http://127.0.0.1:{server.server_address[1]}/v1"
    monkeypatch.setattr(registry, "_loaded", {})  # a backend built for this server, not a cached one
    try:
        audio, lines = render(SCRIPT[:1])
        sink = Collected()
        transcriber = LiveTranscriber(
            sink=sink,
            settings={"backend": "openai-compatible", "model": "tiny.en", "language": "en"},
            timeline=SpeakerTimeline(),
        )
        feed(transcriber, audio, lines, {"Alice Smith": "par_alice"}, pace=1.0)
        transcriber.close()
    finally:
        server.shutdown()
        server.server_close()

    captions, segments = sink.of("caption"), sink.of("segment")
    assert captions and server.finals >= 1
    assert [s.text for s in segments] == [captions[-1].text]
    assert segments[0].speaker == "Alice Smith" and segments[0].confidence is None
