"""The live pipeline on real weights: espeak-ng speech of three speakers, fed like the runner feeds it."""

import threading
import time
from pathlib import Path

import pytest

from meetings.models import MeetingEvent, Participant
from meetings.timeline import SpeakerTimeline
from meetings.transcription import registry
from meetings.transcription.coach import CoachThresholds
from meetings.transcription.http_server import TranscriptionServer
from meetings.transcription.metrics import speaker_word_accuracy, wer
from meetings.transcripts import live_transcriber_start, transcript_complete
from tests.asr_script import SCRIPT, render
from tests.asr_support import feed
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.asr, pytest.mark.django_db(transaction=True)]


def _meeting_with_people(names, organization=None):
    extra = {"organization": organization} if organization is not None else {}
    meeting = MeetingFactory(title="Budget review", **extra)
    ids = {name: Participant.objects.create(meeting=meeting, external_id=name.lower(), name=name).pk for name in names}
    return meeting, ids


def _events(meeting, type_):
    return list(MeetingEvent.objects.filter(meeting=meeting, type=type_).order_by("sequence"))


def test_live_transcript_partials_speakers_and_document(speech, media, api):
    audio, lines = speech
    meeting, ids = _meeting_with_people(sorted({line.speaker for line in lines}), api.organization)
    transcriber = live_transcriber_start(
        meeting=meeting,
        settings={"backend": "faster-whisper", "model": "tiny.en", "language": "en"},
        timeline=SpeakerTimeline(),
        bot_id="bot_test",
        coach=CoachThresholds(talk_time_every_ms=10_000, monologue_ms=60_000, silence_ms=800, question_wait_ms=5000),
    )
    feed(transcriber, audio, lines, ids, pace=1.0)
    transcriber.close()
    transcript_complete(meeting=meeting, bot_id="bot_test")  # as the bot's post-processing does

    segments = list(meeting.segments.order_by("start_ms"))
    assert len(segments) >= len(lines)
    spoken = " ".join(line.text for line in lines)
    assert wer(spoken, " ".join(s.text for s in segments)) <= 0.15
    accuracy = speaker_word_accuracy(
        [(line.speaker, line.start_ms, line.end_ms) for line in lines], [(s.speaker, s.words) for s in segments]
    )
    assert accuracy >= 0.95
    for segment in segments:
        assert segment.participant_id == ids[segment.speaker]
        assert segment.language == "en" and segment.started_at is not None
        assert 0 < segment.confidence <= 1 and segment.words
        assert segment.start_ms <= segment.words[0]["start_ms"] < segment.words[-1]["end_ms"] <= segment.end_ms + 50

    partials = _events(meeting, "caption.partial")
    finals = _events(meeting, "segment.finalized")
    assert len(finals) == len(segments)
    final_seq = {e.payload["utterance_id"]: e.sequence for e in finals}
    with_partials = {e.payload["utterance_id"] for e in partials}
    assert len(with_partials & set(final_seq)) >= len(lines) // 2
    for event in partials:
        assert event.sequence < final_seq[event.payload["utterance_id"]]
        assert event.payload["text"] and event.bot_id == "bot_test"

    insights = [e.payload for e in _events(meeting, "coach.insight")]
    talk = [i for i in insights if i["category"] == "talk_time"]
    assert talk and {s["speaker"] for s in talk[-1]["speakers"]} <= set(ids)
    assert abs(sum(s["share"] for s in talk[-1]["speakers"]) - 1) < 0.01
    assert any(i["category"] == "long_silence" for i in insights)
    assert not any(i["category"] == "unanswered_question" for i in insights)  # Bob answered Alice

    ready = _events(meeting, "transcript.ready")
    saved = _events(meeting, "document.saved")
    assert len(ready) == 1 and len(saved) == 1 and saved[0].sequence < ready[0].sequence
    document = Path(media) / saved[0].payload["path"]
    text = document.read_text()
    assert saved[0].payload["path"].startswith(f"documents/{meeting.project_id}/")
    assert "## Transcript" in text and "**Alice Smith**" in text and "## Summary" in text

    markdown = api.get(f"/api/v1/meetings/{meeting.id}/transcript?format=md").content.decode()
    blocks = [b for b in markdown.split("**")[1:]]
    names_in_order = [blocks[i] for i in range(0, len(blocks), 2)]
    assert names_in_order == [line.speaker for line in lines]


def test_a_quick_answer_ends_the_question_at_the_hand_over(media):
    # Gaps shorter than the silence that ends an utterance: the speaking indicators tell the turns apart.
    audio, lines = render(SCRIPT[:3], gap_ms=350)
    meeting, ids = _meeting_with_people(sorted({line.speaker for line in lines}))
    transcriber = live_transcriber_start(
        meeting=meeting,
        settings={"backend": "faster-whisper", "model": "tiny.en", "language": "en", "partials": False},
        timeline=SpeakerTimeline(),
    )
    feed(transcriber, audio, lines, ids, pace=0)
    transcriber.close()

    finals = [e.payload for e in _events(meeting, "segment.finalized")]
    assert [f["speaker"] for f in finals] == [line.speaker for line in lines]
    # Each line is its own utterance, ended at the pause before the next speaker, not with the answer.
    assert len({f["utterance_id"] for f in finals}) == len(lines)
    for final, line in zip(finals, lines, strict=True):
        assert final["end_ms"] <= line.end_ms + 300
        assert wer(line.text, final["text"]) <= 0.2


def test_platform_captions_backend(media):
    meeting, ids = _meeting_with_people(["Alice Smith", "Bob Jones"])
    transcriber = live_transcriber_start(meeting=meeting, settings={"backend": "captions"}, timeline=SpeakerTimeline())
    assert transcriber.engine is None  # no model is loaded
    snapshots = [
        (1000, [("Alice Smith", "Good morning")]),
        (1500, [("Alice Smith", "Good morning everyone")]),
        (2500, [("Alice Smith", "Good morning everyone"), ("Bob Jones", "Hi")]),
        (3000, [("Alice Smith", "Good morning everyone"), ("Bob Jones", "Hi Alice, shall we start?")]),
    ]
    for offset, captions in snapshots:
        transcriber.feed_captions(captions, offset)
    transcriber.close()
    segments = list(meeting.segments.order_by("start_ms"))
    assert [(s.speaker, s.text, s.start_ms, s.backend) for s in segments] == [
        ("Alice Smith", "Good morning everyone", 1000, "captions"),
        ("Bob Jones", "Hi Alice, shall we start?", 2500, "captions"),
    ]
    assert [s.participant_id for s in segments] == [ids["Alice Smith"], ids["Bob Jones"]]
    partials = [e.payload["text"] for e in _events(meeting, "caption.partial")]
    assert partials == ["Good morning", "Good morning everyone", "Hi", "Hi Alice, shall we start?"]


class _SlowFinalsServer(TranscriptionServer):
    """The local OpenAI-compatible server, with finals (word timings asked) taking FINAL_DELAY_S longer."""

    def transcribe(self, audio, *, words: bool, **kwargs):
        if words:
            time.sleep(FINAL_DELAY_S)
        return super().transcribe(audio, words=words, **kwargs)


FINAL_DELAY_S = 2.5


def test_a_caption_does_not_wait_for_the_previous_utterances_final(settings, media, monkeypatch):
    server = _SlowFinalsServer(("127.0.0.1", 0), backend="faster-whisper")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ASR_API_URL = f"http://127.0.0.1:{server.server_address[1]}/v1"
    monkeypatch.setattr(registry, "_loaded", {})  # a backend built for this server, not a cached one
    try:
        audio, lines = render(SCRIPT[:2])
        meeting, ids = _meeting_with_people(sorted({line.speaker for line in lines}))
        transcriber = live_transcriber_start(
            meeting=meeting,
            settings={"backend": "openai-compatible", "model": "tiny.en", "language": "en"},
            timeline=SpeakerTimeline(),
        )
        feed(transcriber, audio, lines, ids, pace=1.0)
        transcriber.close()
    finally:
        server.shutdown()
        server.server_close()

    finals = _events(meeting, "segment.finalized")
    assert [f.payload["speaker"] for f in finals] == [line.speaker for line in lines]
    second = finals[1].payload["utterance_id"]
    answer = [e for e in _events(meeting, "caption.partial") if e.payload["utterance_id"] == second]
    # Bob's first caption came while Alice's final was still being transcribed, not after it.
    assert answer and answer[0].sequence < finals[0].sequence
    assert all(e.sequence < finals[1].sequence for e in answer)
