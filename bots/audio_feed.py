"""The captured audio of one call into the sinks: the mixed stream, and each track's own chunks.

Both go on the recorded clock (a paused stretch takes no time, and nothing before the admission);
the mixed stream to every sink, the tracks to the sinks that take them (`write_tracks`: the live
transcriber, the per-participant recordings).
"""

from bots.capture import SAMPLE_RATE, AudioCapture, peak
from bots.sinks import SinkFanout

# A chunk whose peak stays under this (about -50 dBFS) counts as silence for the silence rule.
SILENCE_PEAK = 100


class AudioFeed:
    def __init__(self, *, capture: AudioCapture, actions, fanout: SinkFanout, base_sample: int) -> None:
        self.capture = capture
        self.actions = actions
        self.fanout = fanout
        self.base_sample = base_sample

    def feed(self, chunks) -> bool:
        """Hand a drain's chunks to the sinks; whether any carried sound."""
        mixed = [placed for pcm, sample in chunks if (placed := self._placed(pcm, sample)) is not None]
        tracks = self.capture.take_tracks()
        if self.capture.status.split:
            # The tracks first: the mixed stream's clock tells the transcriber that a track which sent
            # nothing up to there was silent. Every tick, chunks or none.
            own = [(track, *placed) for track, pcm, sample in tracks if (placed := self._placed(pcm, sample))]
            self.fanout.write_tracks(own)
        active = False
        for pcm, offset_ms in mixed:
            self.fanout.write(pcm, offset_ms)
            active = active or peak(pcm) >= SILENCE_PEAK
        return active

    def _placed(self, pcm: bytes, sample: int) -> tuple[bytes, int] | None:
        """The chunk (cut to the admission) and its offset in ms on the recorded clock; None when it
        falls in a pause or before the admission."""
        if self.actions.paused:
            return None
        sample = self.actions.audio_sample(sample)
        if sample < self.base_sample:
            skip = (self.base_sample - sample) * 2
            if skip >= len(pcm):
                return None
            pcm, sample = pcm[skip:], self.base_sample
        return pcm, (sample - self.base_sample) * 1000 // SAMPLE_RATE
