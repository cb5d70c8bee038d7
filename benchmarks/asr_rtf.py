"""Real-time factor of each ASR backend and compute type on this machine.

RTF = transcription time / audio duration, on the three-speaker espeak-ng script (about 26 s),
transcribed whole with tiny.en; the best of --repeat runs after one warm-up. Run:

    .venv/bin/python benchmarks/asr_rtf.py [--repeat 2] [--threads 2]
"""

import argparse
import json
import resource
import tempfile
import time

from _setup import django_setup, machine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()
    django_setup()
    from django.conf import settings

    from meetings.transcription.base import BackendOptions
    from meetings.transcription.http_server import serve_in_thread
    from meetings.transcription.metrics import wer
    from meetings.transcription.registry import backend_class
    from tests.asr_script import render

    settings.ASR_MODEL_DIR = tempfile.mkdtemp(prefix="notula-bench-models-")
    audio, lines = render()
    seconds = len(audio) / 16000
    reference = " ".join(line.text for line in lines)
    server = serve_in_thread(backend="faster-whisper", compute_type="int8")
    url = f"http://127.0.0.1:{server.server_address[1]}"
    cases = [
        ("faster-whisper", "int8", 1),
        ("faster-whisper", "int8", 5),
        ("faster-whisper", "float32", 1),
        ("faster-whisper", "float32", 5),
        ("openai-whisper", "float32", 1),
        ("openai-whisper", "float32", 5),
        ("openai-compatible", "int8 (server)", 5),
    ]
    print(f"# ASR real-time factor, tiny.en, {seconds:.1f} s of speech\n\nMachine: {machine()}\n")
    print("| backend | compute type | beam | RTF | WER | load s |")
    print("| --- | --- | --- | --- | --- | --- |")
    results = []
    for name, compute, beam in cases:
        options = BackendOptions(name, "tiny.en", compute_type=compute.split()[0], cpu_threads=args.threads)
        began = time.monotonic()
        cls = backend_class(name)
        backend = cls(options, base_url=url) if name == "openai-compatible" else cls(options)
        load_s = time.monotonic() - began
        run = dict(language="en", beam_size=beam, word_timestamps=True, vad_filter=True)
        backend.transcribe(audio[: 16000 * 3], **run)  # warm-up
        best, text = float("inf"), ""
        for _ in range(args.repeat):
            began = time.monotonic()
            text = backend.transcribe(audio, **run).text
            best = min(best, time.monotonic() - began)
        row = {
            "backend": name,
            "compute_type": compute,
            "beam": beam,
            "rtf": round(best / seconds, 3),
            "wer": round(wer(reference, text), 3),
            "load_s": round(load_s, 2),
        }
        results.append(row)
        print(
            f"| {name} | {compute} | {beam} | {row['rtf']:.3f} | {row['wer']:.3f} | {row['load_s']:.1f} |", flush=True
        )
    server.shutdown()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak RSS of the process with every backend loaded: {rss:.0f} MB")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"machine": machine(), "seconds": seconds, "results": results}, out, indent=2)


if __name__ == "__main__":
    main()
