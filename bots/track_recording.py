"""Each participant's own recording (`recording.per_participant`): every track the page taps apart
(bots/audio_feed.py) written on its own, beside the mixed recording, which stays as it is.

A track sends only its chunks with sound; the silence between them is written as silence, and every
file is cut or padded to the call's length, so each one keeps the call's timing: a word at 01:23 in a
participant's file is at 01:23 in the mix. Each file is encoded as the mix is (bots/recording.py), in
the bot's `audio_format`.

Whose voice a track carries is decided when the call is over, from the speaking indicators over the
track's stretches of sound, by the rule the live transcriber binds tracks with (`TrackOwners`,
docs/transcription.md). A track never bound to one participant (a pool of receivers, a voice heard only
over someone else's) is kept as "Unknown speaker N", N counting such tracks in the order they were first
heard; the bot's own voice (`recording.include_bot_voice`) is under the bot's name.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from bots.recording import BYTES_PER_MS, RecordingWriter

log = logging.getLogger(__name__)

TRACKS_DIRECTORY = "tracks"
# The capture script's id of the bot's own microphone track (bots/capture/capture.js).
OWN_VOICE_TRACK = "own-voice"
# Chunks with sound this close together are one stretch of speech: one piece of evidence of the owner.
STRETCH_GAP_MS = 600


@dataclass
class TrackFile:
    raw_path: Path
    number: int  # the track's place in the order the tracks were first heard, from 1
    participant_id: str | None
    speaker: str


class TrackRecorder:
    """An audio sink taking the tracks apart (`write_tracks`); the mixed stream is not its business."""

    def __init__(self, directory: Path, timeline, *, bot_name: str = "") -> None:
        self.directory = directory / TRACKS_DIRECTORY
        self.timeline = timeline
        self.bot_name = bot_name
        self.writers: dict[str, RecordingWriter] = {}  # by track id, in the order first heard
        self._stretches: dict[str, list[list[int]]] = {}

    def write(self, pcm: bytes, offset_ms: int) -> None:
        """The mix goes to the mixed recording's writer only."""

    def write_tracks(self, chunks: list[tuple[str, bytes, int]]) -> None:
        for track, pcm, offset_ms in chunks:
            writer = self.writers.get(track)
            if writer is None:
                writer = self.writers[track] = RecordingWriter(self.directory / f"track-{len(self.writers) + 1}")
            writer.write(pcm, offset_ms)
            end_ms = offset_ms + len(pcm) // BYTES_PER_MS
            stretches = self._stretches.setdefault(track, [])
            if stretches and offset_ms - stretches[-1][1] <= STRETCH_GAP_MS:
                stretches[-1][1] = max(stretches[-1][1], end_ms)
            else:
                stretches.append([offset_ms, end_ms])

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()

    def owners(self) -> dict[str, tuple[str, str] | None]:
        """(participant_id, name) of each track's one participant, or None."""
        try:
            from meetings.transcription.live.tracks import TrackOwners
        except ImportError:  # a build without the transcription packages: no track is bound
            log.warning("The transcription packages are missing: participant tracks are not named")
            return dict.fromkeys(self.writers)
        rule = TrackOwners(self.timeline)
        for track, stretches in self._stretches.items():
            for start_ms, end_ms in stretches:
                rule.observe(track, start_ms, end_ms)
        return {track: rule.owner(track) for track in self.writers}

    def finish(self, *, call_ms: int) -> list[TrackFile]:
        """Each track's raw PCM at exactly the call's length, with whose voice it is."""
        owners = self.owners()
        files, unknown = [], 0
        for number, (track, writer) in enumerate(self.writers.items(), start=1):
            writer.write(b"", call_ms)  # a track silent at the end: silence up to the call's end
            writer.finish(call_ms=call_ms)
            owner = owners.get(track)
            if owner is not None:
                participant_id, speaker = owner
            elif track == OWN_VOICE_TRACK and self.bot_name:
                participant_id, speaker = None, self.bot_name
            else:
                unknown += 1
                participant_id, speaker = None, f"Unknown speaker {unknown}"
            files.append(TrackFile(writer.raw_path, number, participant_id, speaker))
        return files
