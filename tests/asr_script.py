"""Speech for the ASR tests and benchmarks: a three-speaker script spoken by espeak-ng."""

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from meetings.transcription.audio import decode
from tests.meeting_lines import SCRIPT

SPEAKERS = {"Alice Smith": "en-us", "Bob Jones": "en-us+m3", "Carol White": "en-gb"}


@dataclass
class Line:
    speaker: str
    text: str
    start_ms: int
    end_ms: int


def speak(text: str, voice: str, *, speed: int = 150) -> np.ndarray:
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", tmp.name, text], check=True)
        return decode(tmp.name)


def trim(audio: np.ndarray, threshold: float = 0.002) -> np.ndarray:
    loud = np.flatnonzero(np.abs(audio) > threshold)
    return audio[loud[0] : loud[-1] + 1] if len(loud) else audio


def render(script=SCRIPT, *, voices=SPEAKERS, gap_ms: int = 900, lead_ms: int = 1000) -> tuple[np.ndarray, list[Line]]:
    """The script as one 16 kHz track with a pause between lines, and when each line was spoken."""
    parts = [np.zeros(lead_ms * 16, dtype=np.float32)]
    lines = []
    cursor = lead_ms
    for speaker, text in script:
        audio = trim(speak(text, voices[speaker]))
        duration = len(audio) * 1000 // 16000
        lines.append(Line(speaker, text, cursor, cursor + duration))
        parts += [audio, np.zeros(gap_ms * 16, dtype=np.float32)]
        cursor += duration + gap_ms
    return np.concatenate(parts).astype(np.float32), lines


def render_cached(directory: Path, name: str = "three_speakers", **kwargs) -> tuple[np.ndarray, list[Line]]:
    import json

    wav, meta = directory / f"{name}.npy", directory / f"{name}.json"
    if wav.exists() and meta.exists():
        return np.load(wav), [Line(**line) for line in json.loads(meta.read_text())]
    audio, lines = render(**kwargs)
    np.save(wav, audio)
    meta.write_text(json.dumps([line.__dict__ for line in lines]))
    return audio, lines
