"""Voices for simulated participants: espeak-ng renders each line to a WAV, cached by content hash."""

import functools
import hashlib
import re
import subprocess
import uuid
from pathlib import Path

from django.conf import settings

ESPEAK = "espeak-ng"
VOICE_RE = re.compile(r"^([a-z]{2,3}(?:-[a-z0-9]{2,8})*)(?:\+([a-z0-9]{1,12}))?$")


@functools.cache
def _known_voices() -> frozenset[str]:
    out = subprocess.run([ESPEAK, "--voices"], capture_output=True, text=True, timeout=10, check=True).stdout
    names = set()
    for row in out.splitlines()[1:]:
        cols = row.split()
        if len(cols) >= 5:
            names.add(cols[1].lower())  # the language code: en-us, en-gb, fr-fr...
            names.add(cols[3].split("/")[-1].lower())  # the file name: en-us, gmw/en-GB-scotland...
            names.update(alias.lower() for alias in re.findall(r"\(([a-z0-9-]+) \d+\)", row))  # (en 3)
    return frozenset(names)


def voice_is_known(voice: str) -> bool:
    """`en-us`, `en-gb`, `en-us+f3`: a language espeak-ng has, with an optional variant."""
    match = VOICE_RE.match(voice.lower())
    return bool(match) and match.group(1) in _known_voices()


def tts_cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "simulator"


def tts_render(*, voice: str, text: str) -> Path:
    """The WAV of `text` spoken by `voice` (22.05 kHz mono), rendered once and kept by hash."""
    digest = hashlib.sha256(f"{voice}\x00{text}".encode()).hexdigest()[:32]
    path = tts_cache_dir() / f"{digest}.wav"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own per render: two meetings saying the same line at once must not share it.
    tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp.wav")
    # The text goes on stdin, never on the command line: it comes from API users.
    subprocess.run(
        [ESPEAK, "-v", voice, "-s", "160", "-w", str(tmp), "--stdin"],
        input=text.encode(),
        check=True,
        timeout=30,
        capture_output=True,
    )
    tmp.replace(path)
    return path
