"""Summary, notes and keywords (local and through a chat endpoint), and coach insights."""

import pytest

from meetings.summaries import summarize, summarize_local
from meetings.transcription.coach import CoachThresholds, CoachTracker
from tests.asr_http import serve_chat

LINES = [
    ("Alice Smith", "Good morning everyone. Today we review the marketing budget for the new product launch."),
    ("Bob Jones", "The marketing budget is too small for the product launch in March."),
    ("Carol White", "Can we move money from the travel budget?"),
    ("Alice Smith", "Yes. I will send the new marketing budget to finance by Friday."),
    ("Bob Jones", "We agreed to launch the product in April instead."),
]


def test_local_summary_notes_and_keywords():
    result = summarize_local(LINES)
    assert result.source == "local"
    assert "marketing budget" in result.keywords[:3]
    assert "product" in " ".join(result.keywords)
    summary_lines = result.summary.splitlines()
    assert 1 <= len(summary_lines) <= 5
    assert all(
        any(text.split(".")[0] in line or line.split(": ", 1)[1] in text for _, text in LINES) for line in summary_lines
    )
    assert "I will send the new marketing budget to finance by Friday." in result.notes
    assert "**Questions raised**" in result.notes and "travel budget?" in result.notes
    assert summarize([]).summary == ""


def test_summary_from_a_chat_endpoint(settings):
    server = serve_chat(
        {"summary": "- Launch moves to April.", "notes": "- Alice: send budget", "keywords": ["launch"]}
    )
    try:
        settings.SUMMARY_API_URL, settings.SUMMARY_API_KEY = server.url, "sk-test"
        result = summarize(LINES, language="en")
    finally:
        server.shutdown()
        server.server_close()
    assert (result.source, result.summary, result.keywords) == ("remote", "- Launch moves to April.", ["launch"])
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer sk-test"
    assert "Bob Jones: The marketing budget is too small" in request["body"]["messages"][-1]["content"]


def test_failing_chat_endpoint_falls_back_to_local(settings):
    server = serve_chat(None, status=500)
    try:
        settings.SUMMARY_API_URL = server.url
        result = summarize(LINES)
    finally:
        server.shutdown()
        server.server_close()
    assert result.source == "local" and result.keywords


@pytest.fixture
def coach():
    return CoachTracker(
        CoachThresholds(talk_time_every_ms=10_000, monologue_ms=8_000, silence_ms=5_000, question_wait_ms=4_000)
    )


def _categories(insights):
    return [i["category"] for i in insights]


def test_monologue_and_talk_time(coach):
    insights = []
    for start in (0, 3000, 6000):
        insights += coach.on_segment(
            speaker="Alice", participant_id="p1", text="More.", start_ms=start, end_ms=start + 2900
        )
    assert _categories(insights) == ["monologue"] and insights[0]["duration_ms"] == 8900
    insights = coach.on_segment(speaker="Bob", participant_id="p2", text="Okay.", start_ms=9500, end_ms=10500)
    insights += coach.on_time(now_ms=10_600, last_voice_ms=10_500, in_speech=False)
    assert _categories(insights) == ["talk_time"]
    shares = {s["speaker"]: s["share"] for s in insights[0]["speakers"]}
    assert shares == {"Alice": round(8700 / 9700, 3), "Bob": round(1000 / 9700, 3)}


def test_long_silence_once_per_silence(coach):
    coach.on_segment(speaker="Alice", participant_id=None, text="Hello.", start_ms=0, end_ms=1000)
    assert coach.on_time(now_ms=4000, last_voice_ms=1000, in_speech=False) == []
    silence = coach.on_time(now_ms=6100, last_voice_ms=1000, in_speech=False)
    assert _categories(silence) == ["long_silence"] and silence[0]["duration_ms"] == 5100
    assert coach.on_time(now_ms=9000, last_voice_ms=1000, in_speech=False) == []
    coach.on_time(now_ms=9100, last_voice_ms=9100, in_speech=True)
    assert _categories(coach.on_time(now_ms=9900, last_voice_ms=9100, in_speech=False)) == []


def test_unanswered_and_answered_questions(coach):
    coach.on_segment(speaker="Alice", participant_id="p1", text="Who owns the budget?", start_ms=0, end_ms=2000)
    assert coach.on_segment(speaker="Bob", participant_id="p2", text="I do.", start_ms=3000, end_ms=3500) == []
    assert "unanswered_question" not in _categories(coach.on_time(now_ms=9000, last_voice_ms=3500, in_speech=False))
    coach.on_segment(speaker="Alice", participant_id="p1", text="And the deadline?", start_ms=10_000, end_ms=11_000)
    assert "unanswered_question" not in _categories(coach.on_time(now_ms=14_000, last_voice_ms=11_000, in_speech=True))
    insights = coach.on_time(now_ms=15_500, last_voice_ms=11_000, in_speech=True)
    assert _categories(insights) == ["unanswered_question"]
    assert insights[0]["question"] == "And the deadline?" and insights[0]["speaker"] == "Alice"


def test_question_answered_on_the_timeline_before_transcription():
    from meetings.timeline import SpeakerTimeline

    timeline = SpeakerTimeline()
    coach = CoachTracker(
        CoachThresholds(talk_time_every_ms=60_000, monologue_ms=60_000, silence_ms=60_000, question_wait_ms=4000),
        timeline=timeline,
    )
    timeline.start("p1", "Alice", 0)
    timeline.stop("p1", 2100)
    coach.on_segment(speaker="Alice", participant_id="p1", text="Ready?", start_ms=0, end_ms=2000)
    timeline.start("p2", "Bob", 3000)  # Bob answers; his words are still being transcribed
    assert coach.on_time(now_ms=6500, last_voice_ms=6500, in_speech=True) == []
