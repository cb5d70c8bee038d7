"""The live pipeline: the bot's audio in, caption_partial / segment_finalized / coach_insight out.

`LiveTranscriber` is an audio sink of the runner (`write(pcm, offset_ms)`, `close()`). The runner's
thread only runs the voice-activity detector and queues work; two ASR threads per transcriber do
the transcription (in this process or on the ASR workers) and write segments and events, so a slow
transcription never stalls the page loop: one for finals (and insights), one for partials, so that
the first caption of an utterance never waits for the previous utterance's final. While someone
speaks, the utterance so far is transcribed about once a second for `caption_partial`; when the
utterance ends (after a silence, or at a shorter
pause where the speaking indicators show someone else taking over) it is transcribed once more, with
word timings and the previous final as context, split between speakers if the timeline shows a
hand-over inside it, and stored.
"""

import logging
import threading
import time
from collections import deque
from datetime import datetime, timedelta

import numpy as np
from django.db import close_old_connections, connection
from django.utils import timezone

from meetings.transcription.backends.captions import CaptionTracker
from meetings.transcription.base import SAMPLE_RATE, Word, pcm16_to_float
from meetings.transcription.coach import CoachThresholds, CoachTracker
from meetings.transcription.engine import engine_for
from meetings.transcription.languages import language_option
from meetings.transcription.registry import options_from_settings
from meetings.transcription.speakers import attribute, dominant_speaker, words_text
from meetings.transcription.utterance import PRE_ROLL_MS, Utterance, new_utterance_id, unrepeated
from meetings.transcription.vad import EnergyVad

log = logging.getLogger(__name__)

# No partial after this much silence: the utterance is probably ending, and its final (which the
# ASR thread takes first) would wait behind a partial nobody needs any more.
PARTIAL_QUIET_MS = 200
# Shorter finals are decoded without the previous text as context.
PROMPT_MIN_MS = 1000
# The end of the transcript so far that finals get as context (the backend keeps its last 64 tokens).
CONTEXT_CHARS = 400


class LiveTranscriber:
    """Audio sink that transcribes a bot's meeting live. Thread-safe towards one writer."""

    def __init__(
        self,
        *,
        meeting,
        settings: dict | None = None,
        timeline=None,
        bot_id: str = "",
        started_at: datetime | None = None,
        mode: str | None = None,
        coach: CoachThresholds | None = None,
        complete_on_close: bool = True,
    ):
        from django.conf import settings as django_settings

        transcription = dict(settings or {})
        self.meeting = meeting
        self.timeline = timeline
        # The runner does not say which bot; a meeting's events name the bot that is in it.
        self.bot_id = bot_id or (meeting.bots.order_by("-created_at").values_list("id", flat=True).first() or "")
        self.started_at = started_at
        self.complete_on_close = complete_on_close
        self.options = options_from_settings(transcription)
        self.language = language_option(transcription.get("language"))
        self.partials = transcription.get("partials", True)
        self.enabled = transcription.get("enabled", True)
        self.captions_only = self.options.backend == "captions"
        # Loaded by the ASR threads: loading a model takes a second or more, and the runner's page
        # loop (roster, speaking indicators) must not stall on it right after admission.
        self.engine = None
        self.partial_engine = None
        self._mode = mode
        self.first_partial_ms = django_settings.ASR_FIRST_PARTIAL_MS
        self.partial_every_ms = django_settings.ASR_PARTIAL_INTERVAL_MS
        self.max_utterance_ms = django_settings.ASR_MAX_UTTERANCE_S * 1000
        self.vad = EnergyVad(silence_ms=django_settings.ASR_VAD_SILENCE_MS)
        self.coach = CoachTracker(coach, timeline=timeline)
        # The writer's clock and the finals thread's segments both drive the coach.
        self._coach_lock = threading.Lock()
        self.captions = CaptionTracker()
        self.detected_language = ""
        # Running average of one partial's wall time (ms), measured by the partials thread.
        self._call_ms = 0.0
        self._ring: deque = deque()  # recent (offset_ms, audio) for the pre-roll
        self._utterance: Utterance | None = None
        self._now_ms = 0
        self._finals: deque = deque()
        self._partial: tuple | None = None
        self._context = ""  # the end of the transcript so far, read and written by the finals thread only
        self._captioned = ""  # the utterance that last got a caption_partial (set by the partials thread)
        # Utterances whose final was taken up: no partial of theirs is published after that.
        self._finalized: set[str] = set()
        self._publish_lock = threading.Lock()
        self._cv = threading.Condition()
        self._closing = False
        self._engine_ready = threading.Event()
        self._threads = [threading.Thread(target=self._work, name=f"asr-{meeting.pk}", daemon=True)]
        if self.partials and self.enabled and not self.captions_only:
            self._threads.append(
                threading.Thread(target=self._work_partials, name=f"asr-partials-{meeting.pk}", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    # --- the runner's side --------------------------------------------------------------------

    def write(self, pcm: bytes, offset_ms: int) -> None:
        """Take 16 kHz mono PCM16 that starts `offset_ms` after admission."""
        if self.started_at is None:
            self.started_at = timezone.now() - timedelta(milliseconds=offset_ms)
        audio = pcm16_to_float(pcm)
        self._now_ms = offset_ms + len(audio) * 1000 // SAMPLE_RATE
        if not self.enabled:
            return
        events = self.vad.process(audio, offset_ms)
        if self.captions_only:
            self._tick()
            return
        self._ring.append((offset_ms, audio))
        while self._ring and self._ring[0][0] < offset_ms - 1000:
            self._ring.popleft()
        for event in events:
            if event.kind == "start" and self._utterance is None:
                self._open(event.offset_ms)
            elif event.kind == "end" and self._utterance is not None:
                self._utterance.end_ms = event.offset_ms
                self._finish()
            elif event.kind == "pause" and self._utterance is not None:
                self._utterance.pauses.append((event.offset_ms, event.end_ms))
        utterance = self._utterance
        if utterance is not None:
            if offset_ms > utterance.last_chunk_ms:
                utterance.chunks.append(audio)
                utterance.last_chunk_ms = offset_ms
            if utterance.pauses and self._split_at_handover(utterance):
                utterance = self._utterance
            spoken = self._now_ms - utterance.start_ms
            if spoken >= self.max_utterance_ms:
                utterance.end_ms = self._now_ms
                self._finish()
                if self.vad.in_speech:
                    self._open(self._now_ms, pre_roll=False)
            elif (
                self.partials
                and self._now_ms >= utterance.next_partial_ms
                and self._now_ms - self.vad.last_voiced_ms <= PARTIAL_QUIET_MS
            ):
                # Until the utterance has a caption, try again as soon as the last try is done: a first
                # try on a fraction of a second of speech often hears no word yet, and a wait of three
                # calls made one first caption in eight come after 1.5 s with four bots. Later partials
                # thin out under load (each costs a Whisper call on a core the others need).
                if self._captioned == utterance.id:
                    wait = max(self.partial_every_ms, int(3 * self._call_ms))
                else:
                    wait = max(self.first_partial_ms, int(self._call_ms))
                utterance.next_partial_ms = self._now_ms + wait
                with self._cv:
                    self._partial = (utterance.id, utterance.start_ms, self._now_ms, utterance.audio())
                    self._cv.notify_all()
        self._tick()

    def _tick(self) -> None:
        with self._coach_lock:
            insights = self.coach.on_time(**self._clock())
        self._queue_insights(insights)

    def feed_captions(self, captions, offset_ms: int) -> None:
        """One snapshot of the platform's caption area: (speaker, text) lines, oldest first.

        Used when the bot's backend is `captions`; the lines become partials and segments.
        """
        if not self.captions_only or not self.enabled:
            return
        update = self.captions.feed(captions, offset_ms)
        with self._cv:
            for line in update.finished:
                self._finals.append(("caption_final", line.speaker, line.text, line.start_ms, line.updated_ms))
            for line in update.partials:
                if self.partials:
                    self._finals.append(("caption_partial", line.speaker, line.text, line.start_ms, line.updated_ms))
            self._cv.notify_all()

    def captions(self, captions) -> None:
        """The runner's hook for caption snapshots, timed at the latest audio written."""
        self.feed_captions(captions, self._now_ms)

    def close(self) -> None:
        """Finish the utterance in progress, wait for the queue to drain, then complete the transcript."""
        if self._utterance is not None:
            self._utterance.end_ms = max(self.vad.last_voiced_ms, self._utterance.start_ms)
            self._finish()
        if self.captions_only:
            with self._cv:
                for line in self.captions.flush():
                    self._finals.append(("caption_final", line.speaker, line.text, line.start_ms, line.updated_ms))
        with self._cv:
            self._closing = True
            self._partial = None
            self._cv.notify_all()
        for thread in self._threads:
            thread.join()
        for engine in (self.engine, self.partial_engine):
            if engine is not None:
                engine.close()
        if self.complete_on_close:
            from meetings.transcripts import transcript_complete

            close_old_connections()
            transcript_complete(meeting=self.meeting, bot_id=self.bot_id)

    def _clock(self) -> dict:
        return {"now_ms": self._now_ms, "last_voice_ms": self.vad.last_voiced_ms, "in_speech": self.vad.in_speech}

    def _open(self, start_ms: int, *, pre_roll: bool = True) -> None:
        begin = max(0, start_ms - PRE_ROLL_MS) if pre_roll else start_ms
        utterance = Utterance(new_utterance_id(), begin, next_partial_ms=start_ms + self.first_partial_ms)
        for chunk_offset, chunk in self._ring:
            chunk_end = chunk_offset + len(chunk) * 1000 // SAMPLE_RATE
            if chunk_end <= begin:
                continue
            if not utterance.chunks:
                utterance.start_ms = max(begin, chunk_offset)
            skip = max(0, (begin - chunk_offset) * SAMPLE_RATE // 1000)
            utterance.chunks.append(chunk[skip:])
            utterance.last_chunk_ms = chunk_offset
        self._utterance = utterance

    def _split_at_handover(self, utterance: Utterance) -> bool:
        """End the utterance at a hand-over pause; the rest goes on as a new utterance."""
        pause = utterance.handover_pause(self.timeline, self._now_ms)
        if pause is None:
            return False
        rest = utterance.rest_after(pause[1], first_partial_ms=self.first_partial_ms)
        utterance.end_ms = pause[0]
        self._finish()
        self._utterance = rest
        return True

    def _finish(self) -> None:
        utterance, self._utterance = self._utterance, None
        audio = utterance.audio()
        # Trailing silence past the detected end is not part of the utterance.
        keep = max(0, (utterance.end_ms - utterance.start_ms + PRE_ROLL_MS) * SAMPLE_RATE // 1000)
        with self._cv:
            self._finals.append(("final", utterance.id, utterance.start_ms, utterance.end_ms, audio[:keep]))
            if self._partial is not None and self._partial[0] == utterance.id:
                self._partial = None
            self._cv.notify_all()

    def _queue_insights(self, insights: list) -> None:
        if insights:
            with self._cv:
                self._finals.extend(("insight", insight) for insight in insights)
                self._cv.notify_all()

    # --- the ASR threads ----------------------------------------------------------------------

    def _work(self) -> None:
        """The finals thread: finals, platform captions and insights, in the order they were queued."""
        try:
            if self.enabled and not self.captions_only:
                try:
                    self.engine = engine_for(self.options, mode=self._mode)
                except Exception:
                    # No transcript rather than no recording: the bot stays in the call.
                    log.exception("Meeting %s: the ASR model could not be loaded", self.meeting.pk)
                    self.enabled = False
                    return
                finally:
                    self._engine_ready.set()
            while True:
                with self._cv:
                    while not self._finals and not self._closing:
                        self._cv.wait()
                    if not self._finals:
                        return
                    job = self._finals.popleft()
                if job[0] == "final":
                    # Under the partials' publish lock: a caption of this utterance being published
                    # now is out before the segment, and none comes after it.
                    with self._publish_lock:
                        self._finalized.add(job[1])
                try:
                    getattr(self, f"_do_{job[0]}")(*job[1:])
                except Exception:
                    log.exception("Live transcription of meeting %s: a job failed", self.meeting.pk)
        finally:
            self._engine_ready.set()
            connection.close()

    def _work_partials(self) -> None:
        """The partials thread: the latest partial due, never queued behind a final."""
        try:
            self._engine_ready.wait()
            if not self.enabled or self.engine is None:
                return
            self.partial_engine = engine_for(self.options, mode=self._mode, lane="partial")
            while True:
                with self._cv:
                    while self._partial is None and not self._closing:
                        self._cv.wait()
                    if self._partial is None:
                        return
                    partial, self._partial = self._partial, None
                began = time.monotonic()
                try:
                    self._do_partial(*partial)
                except Exception:
                    log.exception("Live transcription of meeting %s: a partial failed", self.meeting.pk)
                spent = (time.monotonic() - began) * 1000
                self._call_ms = spent if not self._call_ms else 0.7 * self._call_ms + 0.3 * spent
        except Exception:
            log.exception("Meeting %s: live partials stopped", self.meeting.pk)
        finally:
            connection.close()

    def _absolute(self, offset_ms: int) -> datetime:
        return (self.started_at or timezone.now()) + timedelta(milliseconds=offset_ms)

    def _do_partial(self, utterance_id: str, start_ms: int, end_ms: int, audio: np.ndarray) -> None:
        from meetings.transcripts import caption_publish

        result = self.partial_engine.transcribe(audio, language=self.language, final=False)
        text = unrepeated(result.text.strip())
        if not text:
            return
        self._captioned = utterance_id
        participant_id, speaker = dominant_speaker(self.timeline, start_ms, end_ms)
        with self._publish_lock:
            if utterance_id in self._finalized:
                return  # its final is on the way: a caption now would come after the segment
            caption_publish(
                meeting=self.meeting,
                bot_id=self.bot_id,
                utterance_id=utterance_id,
                participant_id=participant_id,
                speaker=speaker,
                text=text,
                start_ms=start_ms,
                end_ms=end_ms,
                language=result.language or self.language or "",
            )

    def _do_final(self, utterance_id: str, start_ms: int, end_ms: int, audio: np.ndarray) -> None:
        from meetings.transcripts import meeting_language_detected, segment_create

        if len(audio) < SAMPLE_RATE // 10:
            return
        # The transcript so far as context, as Whisper uses the text before in a long recording: an
        # utterance decoded alone misses words that the conversation makes clear (on the simulator's
        # recordings, the last few finals gave 13 % fewer errors than the last one alone). Not for a
        # blip of sound, which a prompt can talk into words.
        prompt = self._context if len(audio) >= PROMPT_MIN_MS * SAMPLE_RATE // 1000 else ""
        result = self.engine.transcribe(audio, language=self.language, final=True, prompt=prompt or None)
        words = [Word(w.text, w.start_ms + start_ms, w.end_ms + start_ms, w.probability) for w in result.words]
        if not result.text.strip():
            return
        self._context = f"{self._context} {result.text.strip()}".strip()[-CONTEXT_CHARS:]
        if words:
            # Whisper's word times may reach into the pre-roll or the tail kept after the detected end.
            start_ms, end_ms = min(start_ms, words[0].start_ms), max(end_ms, words[-1].end_ms)
        if result.language and result.language != self.detected_language:
            self.detected_language = result.language
            meeting_language_detected(meeting=self.meeting, language=result.language)
        turns = attribute(self.timeline, start_ms=start_ms, end_ms=end_ms, words=words)
        for turn in turns:
            text = result.text.strip() if len(turns) == 1 else words_text(turn.words)
            probabilities = [w.probability for w in turn.words if w.probability is not None]
            confidence = result.confidence if len(turns) == 1 or not probabilities else float(np.mean(probabilities))
            segment = segment_create(
                meeting=self.meeting,
                bot_id=self.bot_id,
                participant_id=turn.participant_id,
                speaker=turn.speaker,
                text=text,
                start_ms=turn.start_ms,
                end_ms=turn.end_ms,
                started_at=self._absolute(turn.start_ms),
                language=result.language or self.language or "",
                confidence=confidence,
                words=[w.as_dict() for w in turn.words],
                backend=self.options.backend,
                model=self.options.model,
                utterance_id=utterance_id,
            )
            with self._coach_lock:
                insights = self.coach.on_segment(
                    speaker=segment.speaker,
                    participant_id=segment.participant_id,
                    text=text,
                    start_ms=turn.start_ms,
                    end_ms=turn.end_ms,
                )
            self._do_insight_list(insights)

    def _do_caption_partial(self, speaker: str, text: str, start_ms: int, end_ms: int) -> None:
        from meetings.transcripts import caption_publish

        caption_publish(
            meeting=self.meeting,
            bot_id=self.bot_id,
            utterance_id=f"cap-{speaker}-{start_ms}",
            participant_id=None,
            speaker=speaker,
            text=text,
            start_ms=start_ms,
            end_ms=end_ms,
            language=self.language or "",
        )

    def _do_caption_final(self, speaker: str, text: str, start_ms: int, end_ms: int) -> None:
        from meetings.transcripts import segment_create

        segment = segment_create(
            meeting=self.meeting,
            bot_id=self.bot_id,
            participant_id=None,
            speaker=speaker,
            text=text,
            start_ms=start_ms,
            end_ms=max(end_ms, start_ms + 1),
            started_at=self._absolute(start_ms),
            language=self.language or "",
            confidence=None,
            words=[],
            backend="captions",
            model="",
            utterance_id=f"cap-{speaker}-{start_ms}",
        )
        with self._coach_lock:
            insights = self.coach.on_segment(
                speaker=speaker, participant_id=segment.participant_id, text=text, start_ms=start_ms, end_ms=end_ms
            )
        self._do_insight_list(insights)

    def _do_insight(self, insight: dict) -> None:
        self._do_insight_list([insight])

    def _do_insight_list(self, insights: list) -> None:
        from meetings.transcripts import insight_publish

        for insight in insights:
            insight_publish(meeting=self.meeting, bot_id=self.bot_id, insight=insight)
