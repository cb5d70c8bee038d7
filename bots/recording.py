"""The audio recording: raw PCM written at its sample offset while the bot is in the call, then
encoded with ffmpeg to a lossless file (FLAC) and a compressed one (mp3 by default, or opus).

Offsets place every chunk: a gap (chunks the page dropped) becomes silence, so the file keeps the
call's own timing and its duration matches the call.
"""

import logging
import subprocess
from pathlib import Path

from bots.capture import BYTES_PER_SAMPLE, SAMPLE_RATE

log = logging.getLogger(__name__)

BYTES_PER_MS = SAMPLE_RATE * BYTES_PER_SAMPLE // 1000
COMPRESSED = {
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "opus": ["-c:a", "libopus", "-b:a", "32k"],
    "ogg": ["-c:a", "libopus", "-b:a", "32k"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "wav": ["-c:a", "pcm_s16le"],
    "flac": ["-c:a", "flac"],
}
LOSSLESS = "flac"


class RecordingWriter:
    """An AudioSink writing 16 kHz mono PCM to `<directory>/audio.pcm`."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.raw_path = directory / "audio.pcm"
        self._file = self.raw_path.open("wb")
        self._end = 0  # bytes written so far (silence included)
        self.gaps_ms = 0

    def write(self, pcm: bytes, offset_ms: int) -> None:
        position = offset_ms * BYTES_PER_MS
        if position > self._end:
            self.gaps_ms += (position - self._end) // BYTES_PER_MS
            self._file.write(bytes(position - self._end))
            self._end = position
        elif position < self._end:
            pcm = pcm[self._end - position :]  # overlaps what is written: keep only the new tail
        self._file.write(pcm)
        self._end += len(pcm)

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()

    @property
    def duration_ms(self) -> int:
        return self._end // BYTES_PER_MS

    def finish(self, *, call_ms: int) -> int:
        """Close with exactly the call's length: cut what came after the bot decided to leave, or pad
        with silence the last chunks still in the page when it closed. Returns the duration in ms."""
        if call_ms < self.duration_ms:
            self._file.truncate(call_ms * BYTES_PER_MS)
            self._end = call_ms * BYTES_PER_MS
        elif call_ms > self.duration_ms:
            if call_ms - self.duration_ms > 1000:
                log.warning("Audio shorter than the call by %d ms; padded with silence", call_ms - self.duration_ms)
            self._file.write(bytes((call_ms - self.duration_ms) * BYTES_PER_MS))
            self._end = call_ms * BYTES_PER_MS
        self.close()
        return self.duration_ms


def encode(raw_path: Path, target: Path, fmt: str) -> Path:
    """Encode raw 16 kHz mono s16le PCM into `target` with ffmpeg."""
    if fmt not in COMPRESSED:
        raise ValueError(f"Unknown audio format '{fmt}'")
    command = [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
        "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", str(raw_path),
        *COMPRESSED[fmt], str(target),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    return target


def media_duration_ms(path: Path) -> int:
    """Duration as ffprobe reads it from the file's container."""
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(float(result.stdout.strip()) * 1000)
