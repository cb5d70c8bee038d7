"""Diarization error rate and time of the file-import speaker labelling (`speaker_count`).

The recording: a real 30 s two-person phone call with reference turns, the sample data of the
pyannote.audio wheel (requirements-dev.txt; its code is not imported). Whisper (tiny.en, as imports
run it) transcribes it once; then the diarizer labels the segments with speaker_count 2 and "auto".
DER: missed + false alarm + confusion over the reference speech, optimal speaker mapping, 10 ms frames,
with a 0.25 s collar and without. Run:

    .venv/bin/python benchmarks/diarization.py [--threads 1] [--repeat 2]
"""

import argparse
import time
from importlib.metadata import distribution
from pathlib import Path

from _setup import django_setup, machine

SAMPLE = Path(str(distribution("pyannote.audio").locate_file("pyannote/audio/sample")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    django_setup()
    from django.conf import settings

    settings.DIARIZATION_THREADS = args.threads
    from meetings.transcription import audio as audio_io
    from meetings.transcription.der import diarization_error_rate, read_rttm
    from meetings.transcription.diarize import _voice_encoder, diarize
    from meetings.transcription.offline import transcribe_audio

    audio = audio_io.decode(SAMPLE / "sample.wav")
    reference = read_rttm((SAMPLE / "sample.rttm").read_text())
    began = time.monotonic()
    recognition = transcribe_audio(audio=audio, transcription={"language": "en"}, timeline=None, started_at=None)
    asr_s = time.monotonic() - began
    began = time.monotonic()
    _voice_encoder()
    load_s = time.monotonic() - began
    print(f"# Diarization, {len(audio) / 16000:.0f} s two-person call\n\nMachine: {machine()}\n")
    print(f"Whisper tiny.en: {asr_s:.1f} s (with its load); voice encoder load: {load_s:.1f} s\n")
    print("| speaker_count | speakers | DER (0.25 s collar) | missed | false alarm | confusion | DER (no collar) | s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for count in (2, None):
        best = float("inf")
        for _ in range(args.repeat):
            began = time.monotonic()
            segments = diarize(audio=audio, segments=recognition.segments, speaker_count=count)
            best = min(best, time.monotonic() - began)
        hypothesis = [(s.speaker, s.start_ms / 1000, s.end_ms / 1000) for s in segments]
        scored = diarization_error_rate(reference, hypothesis, collar=0.25)
        strict = diarization_error_rate(reference, hypothesis, collar=0.0)
        print(
            f"| {count or 'auto'} | {len({s.speaker for s in segments})} | {scored.der:.3f} | {scored.missed:.3f} "
            f"| {scored.false_alarm:.3f} | {scored.confusion:.3f} | {strict.der:.3f} | {best:.2f} |"
        )


if __name__ == "__main__":
    main()
