import math
import struct
import subprocess

from bots.capture import peak
from bots.recording import BYTES_PER_MS, RecordingWriter, encode, media_duration_ms


def tone(ms: int, amplitude: int = 8000) -> bytes:
    n = ms * 16
    return struct.pack(f"<{n}h", *(int(amplitude * math.sin(2 * math.pi * 440 * i / 16000)) for i in range(n)))


def test_chunks_land_at_their_offsets_and_gaps_become_silence(tmp_path):
    writer = RecordingWriter(tmp_path)
    writer.write(tone(100), 0)
    writer.write(tone(100), 100)
    writer.write(tone(100), 400)  # 200 ms were lost in between
    writer.write(tone(100), 450)  # overlaps: only the new 50 ms are kept
    assert writer.gaps_ms == 200
    assert writer.duration_ms == 550
    assert writer.finish(call_ms=1000) == 1000
    raw = writer.raw_path.read_bytes()
    assert len(raw) == 1000 * BYTES_PER_MS
    assert peak(raw[: 200 * BYTES_PER_MS]) > 7000
    assert peak(raw[200 * BYTES_PER_MS : 400 * BYTES_PER_MS]) == 0
    assert peak(raw[550 * BYTES_PER_MS :]) == 0


def test_encodes_lossless_and_compressed_with_the_right_duration(tmp_path):
    writer = RecordingWriter(tmp_path)
    for i in range(30):
        writer.write(tone(100), i * 100)
    writer.finish(call_ms=3000)
    for fmt in ("flac", "mp3", "opus", "wav"):
        path = encode(writer.raw_path, tmp_path / f"audio.{fmt}", fmt)
        assert abs(media_duration_ms(path) - 3000) < 100, fmt
    decoded = subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-i", str(tmp_path / "audio.flac"), "-f", "s16le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    assert decoded == writer.raw_path.read_bytes()  # lossless means identical samples


def test_audio_after_the_call_is_cut(tmp_path):
    writer = RecordingWriter(tmp_path)
    for i in range(20):
        writer.write(tone(100), i * 100)
    assert writer.finish(call_ms=1500) == 1500
    assert len(writer.raw_path.read_bytes()) == 1500 * BYTES_PER_MS
