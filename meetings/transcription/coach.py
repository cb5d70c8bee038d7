"""Conversation insights during the call (`coach_insight` events), from finished segments and voice activity.

Categories: `talk_time` (each speaker's share so far, at a fixed interval), `monologue` (one speaker
for longer than a threshold), `long_silence` (nobody spoke for longer than a threshold, once per
silence), `unanswered_question` (a question no one else answered within a wait).
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass
class CoachThresholds:
    talk_time_every_ms: int
    monologue_ms: int
    silence_ms: int
    question_wait_ms: int

    @classmethod
    def from_settings(cls) -> "CoachThresholds":
        return cls(
            talk_time_every_ms=settings.COACH_TALK_TIME_EVERY_S * 1000,
            monologue_ms=settings.COACH_MONOLOGUE_S * 1000,
            silence_ms=settings.COACH_SILENCE_S * 1000,
            question_wait_ms=settings.COACH_QUESTION_WAIT_S * 1000,
        )


# A pause shorter than this does not end a monologue (people breathe).
MONOLOGUE_GAP_MS = 3000


class CoachTracker:
    def __init__(self, thresholds: CoachThresholds | None = None, *, timeline=None):
        self.t = thresholds or CoachThresholds.from_settings()
        # The speaker timeline answers "did anyone else speak?" before their words are transcribed.
        self.timeline = timeline
        self.talk_ms: dict[str, int] = {}
        self.participant_ids: dict[str, str | None] = {}
        self.next_talk_report_ms = self.t.talk_time_every_ms
        self.run_speaker: str | None = None
        self.run_start_ms = 0
        self.run_end_ms = 0
        self.run_reported = False
        self.silence_reported = False
        self.open_question: dict | None = None

    def on_segment(self, *, speaker: str, participant_id: str | None, text: str, start_ms: int, end_ms: int) -> list:
        insights = self._check_question(start_ms, speaker)
        speaker = speaker or "Unknown"
        self.talk_ms[speaker] = self.talk_ms.get(speaker, 0) + max(0, end_ms - start_ms)
        self.participant_ids[speaker] = participant_id
        if speaker == self.run_speaker and start_ms - self.run_end_ms <= MONOLOGUE_GAP_MS:
            self.run_end_ms = max(self.run_end_ms, end_ms)
        else:
            self.run_speaker, self.run_start_ms, self.run_end_ms, self.run_reported = speaker, start_ms, end_ms, False
        if not self.run_reported and self.run_end_ms - self.run_start_ms >= self.t.monologue_ms:
            self.run_reported = True
            insights.append(
                {
                    "category": "monologue",
                    "speaker": speaker,
                    "participant_id": participant_id,
                    "start_ms": self.run_start_ms,
                    "duration_ms": self.run_end_ms - self.run_start_ms,
                    "message": f"{speaker} has been speaking for {(self.run_end_ms - self.run_start_ms) // 1000} s.",
                }
            )
        if text.rstrip().endswith("?"):
            self.open_question = {"speaker": speaker, "participant_id": participant_id, "text": text, "end_ms": end_ms}
        return insights

    def _check_question(self, now_ms: int, speaker: str | None) -> list:
        question = self.open_question
        if question is None:
            return []
        in_time = now_ms - question["end_ms"] <= self.t.question_wait_ms
        if speaker is not None and speaker != question["speaker"] and in_time:
            self.open_question = None  # someone else answered in time
            return []
        if now_ms - question["end_ms"] > self.t.question_wait_ms:
            self.open_question = None
            if self._answered_on_timeline(question):
                return []
            return [
                {
                    "category": "unanswered_question",
                    "speaker": question["speaker"],
                    "participant_id": question["participant_id"],
                    "question": question["text"],
                    "asked_at_ms": question["end_ms"],
                    "message": f"No one answered {question['speaker']}'s question.",
                }
            ]
        return []

    def _answered_on_timeline(self, question: dict) -> bool:
        if self.timeline is None:
            return False
        window = self.timeline.speakers_between(question["end_ms"], question["end_ms"] + self.t.question_wait_ms)
        return any(
            name != question["speaker"] and (pid != question["participant_id"] or pid is None)
            for pid, name, _ in window
        )

    def on_time(self, *, now_ms: int, last_voice_ms: int, in_speech: bool) -> list:
        """Called as audio arrives: silences, pending questions and the periodic talk-time report."""
        insights = self._check_question(now_ms, None)
        if in_speech:
            self.silence_reported = False
        elif last_voice_ms >= 0 and not self.silence_reported and now_ms - last_voice_ms >= self.t.silence_ms:
            self.silence_reported = True
            insights.append(
                {
                    "category": "long_silence",
                    "start_ms": last_voice_ms,
                    "duration_ms": now_ms - last_voice_ms,
                    "message": f"No one has spoken for {(now_ms - last_voice_ms) // 1000} s.",
                }
            )
        if now_ms >= self.next_talk_report_ms and self.talk_ms:
            self.next_talk_report_ms = now_ms + self.t.talk_time_every_ms
            insights.append(self.talk_time())
        return insights

    def talk_time(self) -> dict:
        total = sum(self.talk_ms.values()) or 1
        shares = [
            {
                "speaker": speaker,
                "participant_id": self.participant_ids.get(speaker),
                "talk_ms": ms,
                "share": round(ms / total, 3),
            }
            for speaker, ms in sorted(self.talk_ms.items(), key=lambda item: -item[1])
        ]
        return {"category": "talk_time", "speakers": shares, "message": "Talk-time share so far."}
