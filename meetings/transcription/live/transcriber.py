"""The live pipeline: the bot's audio in, partial captions, finished segments and coaching insights
out, handed to a `ResultSink`.

`LiveTranscriber` is an audio sink of the runner (`write(pcm, offset_ms)`, `captions(lines)`,
`close()`). The runner's thread only runs the segmenter (voice activity, utterances, when a partial
is due) and queues work; the ASR lanes transcribe (in this process or on the ASR workers). While
someone speaks, the utterance so far is transcribed about once a second for a caption; when the
utterance ends it is transcribed once more, with word timings and the transcript so far as context.

Where the page taps each remote track on its own (`write_tracks`), utterances are cut per track
(live/tracks.py) and the mixed stream only drives the coach's clock: two people speaking at once are
two utterances, each transcribed from its own voice. Without tracks, the mixed stream is cut as before.
"""

import threading
from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.utils import timezone

from meetings.transcription.backends.captions import CaptionLine, CaptionTracker
from meetings.transcription.backends.cloud import CloudAsrFailed
from meetings.transcription.base import pcm16_to_float
from meetings.transcription.coach import CoachThresholds, CoachTracker
from meetings.transcription.engine import engine_for
from meetings.transcription.languages import language_option
from meetings.transcription.live.decode import UtteranceDecoder
from meetings.transcription.live.lanes import AsrLanes
from meetings.transcription.live.segmenter import Cut, Segmenter
from meetings.transcription.live.tracks import TrackStreams
from meetings.transcription.registry import options_from_settings
from meetings.transcription.results import Caption, ResultSink, Segment


class LiveTranscriber:
    """Audio sink that transcribes a meeting live. Thread-safe towards one writer."""

    def __init__(
        self,
        *,
        sink: ResultSink,
        settings: dict | None = None,
        timeline=None,
        started_at: datetime | None = None,
        mode: str | None = None,
        coach: CoachThresholds | None = None,
        name: str = "live",
    ):
        transcription = dict(settings or {})
        self.sink = sink
        self.timeline = timeline
        self.started_at = started_at
        self.options = options_from_settings(transcription)
        self.language = language_option(transcription.get("language"))
        self.enabled = transcription.get("enabled", True)
        self.captions_only = self.options.backend == "captions"
        self.partials = transcription.get("partials", True)
        # Why the transcript cannot be completed (a cloud provider failed for good), or "".
        self.failure = ""
        self.coach = CoachTracker(coach, timeline=timeline)
        # The runner's clock and the finals lane's segments both drive the coach.
        self._coach_lock = threading.Lock()
        self.caption_lines = CaptionTracker()
        self.decoder = UtteranceDecoder(
            sink=sink,
            timeline=timeline,
            language=self.language,
            backend=self.options.backend,
            model=self.options.model,
            absolute=self._absolute,
            on_segment=self._coach_segment,
        )
        self.segmenter = self._segmenter()
        self.tracks = TrackStreams(self._segmenter)
        self.split = False  # the tracks come one by one: the mixed stream is not transcribed
        transcribes = self.enabled and not self.captions_only
        self.lanes = AsrLanes(
            name=name,
            load_final=(lambda: engine_for(self.options, mode=mode)) if transcribes else None,
            load_partial=(lambda: engine_for(self.options, mode=mode, lane="partial"))
            if transcribes and self.partials
            else None,
            on_thread_exit=getattr(sink, "thread_done", lambda: None),
        )

    @property
    def engine(self):
        return self.lanes.engine

    # --- the runner's side --------------------------------------------------------------------

    def write(self, pcm: bytes, offset_ms: int) -> None:
        """Take 16 kHz mono PCM16 that starts `offset_ms` after admission."""
        if self.started_at is None:
            self.started_at = timezone.now() - timedelta(milliseconds=offset_ms)
        if not self.enabled or self.lanes.failed:
            return
        audio = pcm16_to_float(pcm)
        if self.captions_only or self.split:
            # The audio still drives the coach's clock (silences) through the detector.
            self.segmenter.vad.process(audio, offset_ms)
            self.segmenter.now_ms = offset_ms + len(audio) * 1000 // 16000
            if self.split:
                self._queue(self.tracks.advance(self.segmenter.now_ms))
        else:
            self._queue(self.segmenter.write(audio, offset_ms))
        self._tick()

    def write_tracks(self, chunks: list[tuple[str, bytes, int]]) -> None:
        """Take the tracks' own chunks with sound, (track id, 16 kHz mono PCM16, offset_ms); from the
        first call on, utterances are cut per track."""
        if not self.enabled or self.captions_only or self.lanes.failed:
            return
        if not self.split:
            self.split = True
            self._queue(self.segmenter.close())  # what the mixed stream had begun, heard there
        for track, pcm, offset_ms in chunks:
            self._queue(self.tracks.write(track, pcm16_to_float(pcm), offset_ms))

    def captions(self, captions) -> None:
        """One snapshot of the platform's caption area ((speaker, text) lines, oldest first), timed at
        the latest audio written. Used when the backend is `captions`: the lines become captions and
        segments."""
        self.feed_captions(captions, self.segmenter.now_ms)

    def feed_captions(self, captions, offset_ms: int) -> None:
        if not self.captions_only or not self.enabled:
            return
        update = self.caption_lines.feed(captions, offset_ms)
        for line in update.finished:
            self.lanes.queue(lambda _engine, line=line: self._caption_final(line))
        if self.partials:
            for line in update.partials:
                utterance_id = f"cap-{line.speaker}-{line.start_ms}"
                caption = Caption(
                    utterance_id, line.speaker, None, line.text, line.start_ms, line.updated_ms, self.language or ""
                )
                self.lanes.queue(lambda _engine, caption=caption: self.sink.caption(caption))

    def close(self) -> None:
        """Finish the utterance in progress from all of its audio and drain the lanes."""
        if self.enabled and not self.captions_only:
            self._queue(self.tracks.close() if self.split else self.segmenter.close())
        if self.captions_only:
            for line in self.caption_lines.flush():
                self.lanes.queue(lambda _engine, line=line: self._caption_final(line))
        self.lanes.close()

    # --- inside ------------------------------------------------------------------------------

    def _queue(self, cuts: list[Cut]) -> None:
        for cut in cuts:
            if cut.final:
                self.lanes.queue(
                    lambda engine, cut=cut: self._failing(self.decoder.final, engine, cut),
                    replaces_partial_of=cut.utterance_id,
                )
            else:
                self.lanes.offer_partial(
                    cut.utterance_id,
                    lambda engine, cut=cut: self._failing(self.decoder.partial, engine, cut),
                    stream=cut.track,
                )

    def _segmenter(self, track: str = "") -> Segmenter:
        return Segmenter(
            timeline=self.timeline,
            partials=self.partials,
            first_partial_ms=django_settings.ASR_FIRST_PARTIAL_MS,
            max_utterance_ms=django_settings.ASR_MAX_UTTERANCE_S * 1000,
            vad_silence_ms=django_settings.ASR_VAD_SILENCE_MS,
            partial_wait=self._partial_wait,
            track=track,
            # Someone else starting to speak does not end a sentence on a participant's own track.
            one_voice=(lambda: self.decoder.owners.owner(track) is not None) if track else lambda: False,
        )

    def _failing(self, decode, engine, cut: Cut) -> None:
        """A provider that failed after its tries ends the transcription: no more calls, and the
        transcript ends `failed` with the reason rather than complete with words missing."""
        if self.failure:
            return
        try:
            decode(engine, cut)
        except CloudAsrFailed as exc:
            self.failure = str(exc)
            self.lanes.failed = True

    def _partial_wait(self, utterance_id: str) -> int:
        # Until the utterance has a caption, try again as soon as the last try is done: a first try on
        # a fraction of a second of speech often hears no word yet, and a wait of three calls made one
        # first caption in eight come after 1.5 s with four bots. Later partials thin out under load
        # (each costs a Whisper call on a core the others need).
        if self.decoder.captioned(utterance_id):
            return max(django_settings.ASR_PARTIAL_INTERVAL_MS, int(3 * self.lanes.call_ms))
        return max(django_settings.ASR_FIRST_PARTIAL_MS, int(self.lanes.call_ms))

    def _tick(self) -> None:
        vad = self.segmenter.vad
        with self._coach_lock:
            insights = self.coach.on_time(
                now_ms=self.segmenter.now_ms, last_voice_ms=vad.last_voiced_ms, in_speech=vad.in_speech
            )
        # Insights go out on the finals lane, in order with the segments that caused the others.
        for insight in insights:
            self.lanes.queue(lambda _engine, insight=insight: self.sink.insight(insight))

    def _coach_segment(self, speaker: str, participant_id: str | None, text: str, start_ms: int, end_ms: int) -> None:
        with self._coach_lock:
            insights = self.coach.on_segment(
                speaker=speaker, participant_id=participant_id, text=text, start_ms=start_ms, end_ms=end_ms
            )
        for insight in insights:
            self.sink.insight(insight)

    def _caption_final(self, line: CaptionLine) -> None:
        segment = Segment(
            utterance_id=f"cap-{line.speaker}-{line.start_ms}",
            speaker=line.speaker,
            participant_id=None,
            text=line.text,
            start_ms=line.start_ms,
            end_ms=max(line.updated_ms, line.start_ms + 1),
            started_at=self._absolute(line.start_ms),
            language=self.language or "",
            confidence=None,
            words=(),
            backend="captions",
            model="",
        )
        participant_id = self.sink.segment(segment)
        self._coach_segment(line.speaker, participant_id, line.text, line.start_ms, line.updated_ms)

    def _absolute(self, offset_ms: int) -> datetime:
        return (self.started_at or timezone.now()) + timedelta(milliseconds=offset_ms)
