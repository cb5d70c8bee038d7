"""Audio files in and out through ffmpeg: everything is decoded to 16 kHz mono."""

import json
import subprocess
import wave
from pathlib import Path

import numpy as np

from meetings.transcription.base import SAMPLE_RATE, float_to_pcm16, pcm16_to_float


class AudioDecodeError(Exception):
    """ffmpeg could not read an audio stream from the file."""


def probe(path: str | Path, *, timeout: float = 30) -> dict:
    """Duration and whether there is an audio stream; raises AudioDecodeError for a broken file."""
    try:
        out = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "json", str(path)],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise AudioDecodeError("ffprobe took too long to read the file.") from exc
    if out.returncode != 0:
        raise AudioDecodeError(_first_line(out.stderr, path) or "not a media file ffmpeg can read")
    info = json.loads(out.stdout or b"{}")
    streams = [s.get("codec_type") for s in info.get("streams", [])]
    if "audio" not in streams:
        raise AudioDecodeError("the file has no audio stream")
    duration = float(info.get("format", {}).get("duration") or 0)
    return {"duration_s": duration, "has_video": "video" in streams}


def decode(path: str | Path, *, timeout: float = 600) -> np.ndarray:
    """The first audio stream of any file ffmpeg reads, as 16 kHz mono float32."""
    try:
        out = subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-vn", "-map", "0:a:0"]
            + ["-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "s16le", "-"],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise AudioDecodeError("decoding took too long") from exc
    if out.returncode != 0 or not out.stdout:
        raise AudioDecodeError(_first_line(out.stderr, path) or "no audio could be decoded")
    return pcm16_to_float(out.stdout[: len(out.stdout) // 2 * 2])


def write_wav(path: str | Path, audio: np.ndarray) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(float_to_pcm16(audio))
    return path


def encode_flac(audio: np.ndarray, path: str | Path) -> Path:
    """Lossless copy of decoded audio (what a re-transcription reads)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "-"]
        + ["-c:a", "flac", str(path)],
        input=float_to_pcm16(audio),
        check=True,
        capture_output=True,
    )
    return path


def _first_line(stderr: bytes, path) -> str:
    """ffmpeg's last complaint, without the (server-side) file path it starts with."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    return line.replace(f"{path}: ", "").replace(str(path), "the file")[:300]
