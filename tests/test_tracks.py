"""Tracks one by one (meetings/transcription/live/tracks.py): whose voice a track carries, from the
speaking indicators, and each track cut into its own utterances, with an idle track costing nothing."""

import numpy as np

from meetings.timeline import SpeakerTimeline
from meetings.transcription.live.segmenter import Segmenter
from meetings.transcription.live.tracks import TrackOwners, TrackStreams


def timeline_of(*spoken):
    timeline = SpeakerTimeline()
    for participant_id, start_ms, end_ms in spoken:
        timeline.start(participant_id, participant_id.title(), start_ms)
        timeline.stop(participant_id, end_ms)
    return timeline


def test_a_track_per_participant_belongs_to_its_speaker_even_through_overlapping_speech():
    timeline = timeline_of(("alice", 0, 2000), ("bob", 2500, 4500), ("alice", 5000, 7000), ("bob", 5000, 7000))
    owners = TrackOwners(timeline)
    owners.observe("t1", 0, 2000)
    owners.observe("t2", 2500, 4500)
    owners.observe("t1", 5000, 7000)
    owners.observe("t2", 5000, 7000)
    assert owners.owner("t1") == ("alice", "Alice")
    assert owners.owner("t2") == ("bob", "Bob")


def test_a_track_heard_only_in_overlapping_speech_has_no_owner_yet():
    owners = TrackOwners(timeline_of(("alice", 0, 3000), ("bob", 0, 3000)))
    owners.observe("t1", 0, 3000)
    assert owners.owner("t1") is None


def test_a_mixed_track_has_no_owner_once_someone_else_speaks_on_it_alone():
    timeline = timeline_of(("alice", 0, 20000), ("bob", 21000, 23000))
    owners = TrackOwners(timeline)
    for start in range(0, 20000, 4000):
        owners.observe("mixed", start, start + 4000)
    assert owners.owner("mixed") == ("alice", "Alice")  # as far as anyone could tell
    owners.observe("mixed", 21000, 23000)
    assert owners.owner("mixed") is None


class CountingSegmenter(Segmenter):
    writes = 0

    def write(self, audio, offset_ms):
        CountingSegmenter.writes += 1
        return super().write(audio, offset_ms)


def make_segmenter(track):
    return CountingSegmenter(
        timeline=None,
        partials=False,
        first_partial_ms=500,
        max_utterance_ms=30000,
        vad_silence_ms=500,
        partial_wait=lambda _id: 1000,
        track=track,
    )


def tone(ms):
    t = np.arange(ms * 16) / 16000
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def test_a_track_that_falls_silent_ends_its_utterance_and_then_costs_nothing():
    streams = TrackStreams(make_segmenter)
    cuts = []
    for at in range(1000, 2000, 100):  # one second of sound, then the track sends nothing
        cuts += streams.write("t1", tone(100), at)
    cuts += streams.advance(4000)
    finals = [cut for cut in cuts if cut.final]
    assert len(finals) == 1 and finals[0].track == "t1"
    assert 900 <= finals[0].start_ms <= 1000 and 1900 <= finals[0].end_ms <= 2100
    writes = CountingSegmenter.writes
    assert streams.advance(600000) == [] and CountingSegmenter.writes == writes
    # Sound again, much later: a new utterance from there, not one stretched over the silence.
    for at in range(700000, 701000, 100):
        cuts = streams.write("t1", tone(100), at)
    assert [cut.start_ms >= 699800 for cut in streams.close()] == [True]


def test_two_tracks_speaking_at_once_are_two_utterances():
    streams = TrackStreams(make_segmenter)
    for at in range(0, 1500, 100):
        streams.write("alice", tone(100), at)
        streams.write("bob", tone(100), at)
    finals = streams.advance(3000)
    assert sorted(cut.track for cut in finals) == ["alice", "bob"]


def test_a_participants_own_track_is_not_cut_where_someone_else_starts_to_speak():
    timeline = timeline_of(("alice", 0, 2400), ("bob", 1100, 2400))

    def finals(one_voice):
        segmenter = Segmenter(
            timeline=timeline,
            partials=False,
            first_partial_ms=500,
            max_utterance_ms=30000,
            vad_silence_ms=500,
            partial_wait=lambda _id: 1000,
            track="alice",
            one_voice=lambda: one_voice,
        )
        cuts = []
        for at in range(0, 2400, 100):  # speech with a 300 ms pause at 1000-1300
            cuts += segmenter.write(tone(100) * (0 if 1000 <= at < 1300 else 1), at)
        return [cut for cut in cuts + segmenter.close() if cut.final]

    assert len(finals(one_voice=False)) == 2  # the mix: Bob answering in the pause ends Alice's sentence
    assert len(finals(one_voice=True)) == 1
