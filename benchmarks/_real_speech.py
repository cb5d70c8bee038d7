"""The benchmarks' real-speech meeting: recorded people, not espeak-ng, taking turns.

Three voices from recordings that install offline from Debian, each with its transcript:

- a LibriVox reader (Sense and Sensibility, five clips) and a player calling cards (five clips), from
  `pocketsphinx-testdata` (`transcription` files next to the clips);
- Allison, the voice of Asterisk's prompts (`asterisk-core-sounds-en-wav`; texts in
  `asterisk-core-sounds-en`'s core-sounds-en.txt.gz), eight prompts about calls and conferences.

    apt-get install pocketsphinx-testdata asterisk-core-sounds-en-wav asterisk-core-sounds-en
"""

import gzip
import re
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path

POCKETSPHINX = Path("/usr/share/pocketsphinx/test/data")
ASTERISK = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
ASTERISK_TEXTS = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
PACKAGES = "pocketsphinx-testdata asterisk-core-sounds-en-wav asterisk-core-sounds-en"
PROMPTS = [
    "conf-onlyperson",
    "confbridge-only-one",
    "followme/pls-hold-while-try",
    "conf-roll-callcomplete",
    "followme/status",
    "confbridge-lock-no-join",
    "queue-youarenext",
    "vm-nobodyavail",
]
SPEAKERS = ("Allison Prompt", "Reader Dashwood", "Card Caller")
# Pauses between turns in turn (s), as the long espeak-ng script has: some quick hand-overs.
GAPS_S = [0.6, 1.3, 1.0, 0.7]


def _sphinx_transcripts(folder: Path, listing: str) -> list[tuple[Path, str]]:
    """(clip, text) from a pocketsphinx `transcription` file: `<s> words </s> (file id)` a line."""
    clips = []
    for row in (folder / listing).read_text().splitlines():
        match = re.match(r"<s>(.*)</s>\s*\((.+)\)", row.strip())
        if match:
            clips.append((folder / f"{match.group(2)}.wav", " ".join(match.group(1).split())))
    return clips


def _prompts() -> list[tuple[Path, str]]:
    texts = {}
    for row in gzip.open(ASTERISK_TEXTS, "rt"):
        name, sep, text = row.partition(": ")
        if sep and not row.startswith(";"):
            texts[name.strip()] = text.strip()
    return [(ASTERISK / f"{name}.wav", texts[name]) for name in PROMPTS]


def _seconds(path: Path) -> float:
    with wave.open(str(path)) as clip:
        return clip.getnframes() / clip.getframerate()


def real_script() -> tuple[list[tuple[float, str, str, str]], float, dict[str, bytes]]:
    """(at_s, speaker, text, clip name) lines with Allison every other turn and the reader and the card
    caller in between; when the last line ends (s); the clips by name, as a multipart upload names them."""
    if not (POCKETSPHINX / "librivox").is_dir() or not ASTERISK_TEXTS.exists():
        raise SystemExit(f"The real-speech script needs: apt-get install {PACKAGES}")
    reader = _sphinx_transcripts(POCKETSPHINX / "librivox", "transcription")
    cards = _sphinx_transcripts(POCKETSPHINX / "cards", "cards.transcription")
    others = [turn for pair in zip(reader, cards, strict=True) for turn in pair]
    others_speakers = [SPEAKERS[1], SPEAKERS[2]] * len(reader)
    prompts, turns = _prompts(), []
    for index, (path, text) in enumerate(others):
        turns.append((others_speakers[index], path, text))
        if index < len(prompts):
            turns.append((SPEAKERS[0], *prompts[index]))
    lines, clips, at = [], {}, 1.0
    for index, (speaker, path, text) in enumerate(turns):
        name = f"clip{index + 1}"
        clips[name] = path.read_bytes()
        lines.append((round(at, 2), speaker, text, name))
        at += _seconds(path) + GAPS_S[index % len(GAPS_S)]
    return lines, at, clips


def source_wer(lines: list, clips: dict[str, bytes], transcribe: Callable[[Path], str], wer) -> float:
    """WER of the model on each clip on its own, against the script: what it makes of the recordings
    themselves, before any call (the floor for the live and offline figures)."""
    heard = []
    with tempfile.TemporaryDirectory() as scratch:
        for *_, name in lines:
            path = Path(scratch) / f"{name}.wav"
            path.write_bytes(clips[name])
            heard.append(transcribe(path))
    return wer(" ".join(line[2] for line in lines), " ".join(heard))
