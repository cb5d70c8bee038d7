"""Recorded lines: a participant plays an audio clip (wav, mp3 or flac) instead of text-to-speech.

A clip is taken from the request's upload or fetched from its `audio_url` (through the one safe fetcher)
when the scenario is submitted, decoded with ffmpeg and kept as a WAV named by the hash of its content,
next to the rendered voices. The meeting page then fetches it like any other line's audio; a file that is
no audio is a 400 naming the line's field at submission, not a participant who stays silent in the call.
"""

import hashlib
import subprocess
import tempfile
import wave
from pathlib import Path

from common import net
from common.errors import PayloadTooLarge, ValidationError
from simulator.tts import tts_cache_dir

# ffmpeg demuxers: these containers only, read from this one file (a playlist naming others is refused).
CLIP_FORMATS = "wav,mp3,flac"
RATE = 24000
MAX_CLIP_BYTES = 25 * 1024 * 1024
MAX_CLIP_S = 600
FETCH_TIMEOUT_S = 15


def clip_path(digest: str) -> Path:
    return tts_cache_dir() / "clips" / f"{digest}.wav"


def _fail(field: str, message: str):
    raise ValidationError(f"Invalid scenario: {field}: {message}", fields={field: [message]})


def _fetch(url: str, target: Path, field: str) -> None:
    net.url_check(url, field=field)
    try:
        with net.open_url(url, subject=field, max_bytes=MAX_CLIP_BYTES, timeout_s=FETCH_TIMEOUT_S) as response:
            response.save(target)
    except net.FetchError as exc:
        _fail(field, exc.message)


def _decode(source: Path, field: str) -> Path:
    """The clip as a mono 16-bit WAV in the store (kept once per content); 400 on `field` if no audio."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:32]
    path = clip_path(digest)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    decoded = source.with_name("decoded.wav")
    command = [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
        "-protocol_whitelist", "file", "-format_whitelist", CLIP_FORMATS, "-i", str(source),
        "-vn", "-ac", "1", "-ar", str(RATE), "-c:a", "pcm_s16le", "-f", "wav", str(decoded),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, timeout=120)
    if result.returncode != 0 or not decoded.exists() or decoded.stat().st_size <= 44:
        _fail(field, "no audio ffmpeg can read as wav, mp3 or flac")
    decoded.replace(path)
    return path


def _duration_s(path: Path) -> float:
    with wave.open(str(path)) as clip:
        return clip.getnframes() / clip.getframerate()


def clip_store(*, field: str, data: bytes | None = None, url: str = "") -> dict:
    """Decode one clip (an upload's bytes, or the file at `url`) into the store: {clip, duration_s}."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "source"
        if url:
            _fetch(url, source, field)
        else:
            if data is None or len(data) > MAX_CLIP_BYTES:
                message = f"at most {MAX_CLIP_BYTES} bytes"
                raise PayloadTooLarge(f"{field}: {message}", code="upload_too_large", fields={field: [message]})
            source.write_bytes(data)
        path = _decode(source, field)
    duration_s = _duration_s(path)
    if duration_s > MAX_CLIP_S:
        _fail(field, f"the clip lasts {duration_s:.0f} s; a line lasts at most {MAX_CLIP_S} s")
    if duration_s < 0.05:
        _fail(field, "the clip holds no sound")
    return {"clip": path.stem, "duration_s": round(duration_s, 3)}
