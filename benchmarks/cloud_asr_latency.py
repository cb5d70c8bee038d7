"""Latency of each transcription backend, the cloud ones against the local provider servers
(tests/provider_servers: each provider's protocol, answered by tiny.en on this machine).

Batch: one call on a 4.6 s sentence (median of --repeat, after one warm-up): faster-whisper in this
process, and openai-compatible, deepgram and assemblyai through their HTTP protocols.
Streaming: the two-speaker script (two lines, about 9 s) written at real time into a live
transcriber; the first caption after a line starts, and each segment after its line ends.
So the figures are the protocol's cost plus a tiny.en decode on this machine, not a provider's own
speed. Run:

    .venv/bin/python benchmarks/cloud_asr_latency.py [--repeat 3]
"""

import argparse
import json
import statistics
import threading
import time

from _setup import django_setup, machine


class Timed:
    """A result sink that notes when each caption and segment arrives (monotonic seconds)."""

    def __init__(self):
        self.captions: list[tuple[float, int]] = []
        self.segments: list[tuple[float, int, str]] = []
        self.lock = threading.Lock()

    def caption(self, caption) -> None:
        with self.lock:
            self.captions.append((time.monotonic(), caption.start_ms))

    def segment(self, segment) -> str | None:
        with self.lock:
            self.segments.append((time.monotonic(), segment.end_ms, segment.text))
        return None

    def insight(self, insight) -> None:
        pass

    def language(self, language) -> None:
        pass


def batch(name: str, audio, repeat: int, *, key: str = "bench-key") -> tuple[float, str]:
    from meetings.transcription.base import BackendOptions
    from meetings.transcription.registry import backend_class

    backend = backend_class(name)(BackendOptions(name, "tiny.en", api_key=key))
    backend.transcribe(audio, language="en")
    times = []
    for _ in range(repeat):
        began = time.monotonic()
        result = backend.transcribe(audio, language="en")
        times.append(time.monotonic() - began)
    return statistics.median(times), result.text


def stream(name: str, key: str = "bench-key") -> dict:
    from meetings.timeline import SpeakerTimeline
    from meetings.transcription.live import LiveTranscriber
    from meetings.transcription.streaming import StreamingTranscriber
    from tests.asr_script import SCRIPT, render
    from tests.asr_support import feed

    audio, lines = render(SCRIPT[:2])
    sink = Timed()
    settings = {"backend": name, "model": "tiny.en", "api_key": key, "language": "en"}
    cls = StreamingTranscriber if name in ("deepgram", "assemblyai") else LiveTranscriber
    transcriber = cls(sink=sink, settings=settings, timeline=SpeakerTimeline())
    began = time.monotonic()
    feed(transcriber, audio, lines, {"Alice Smith": "a", "Bob Jones": "b"}, pace=1.0)
    transcriber.close()
    first_caption, after_end = [], []
    for line in lines:
        caps = [at - began - line.start_ms / 1000 for at, start in sink.captions if start >= line.start_ms - 500]
        if caps:
            first_caption.append(min(caps))
        ends = [at - began - line.end_ms / 1000 for at, end, _ in sink.segments if abs(end - line.end_ms) < 1500]
        if ends:
            after_end.append(max(ends))
    return {
        "first_caption_s": [round(v, 2) for v in first_caption],
        "segment_after_line_end_s": [round(v, 2) for v in after_end],
        "segments": len(sink.segments),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()
    django_setup()
    from django.conf import settings

    from meetings.transcription.http_server import serve_in_thread
    from tests.asr_script import speak, trim
    from tests.provider_servers.process import provider_server

    print(machine())
    sentence = trim(speak("Good morning everyone. Today we will talk about the budget for next year.", "en-us"))
    results: dict = {"machine": machine(), "batch_s": {}, "stream": {}}
    openai_server = serve_in_thread(backend="faster-whisper", compute_type="int8")
    settings.ASR_API_URL = f"http://127.0.0.1:{openai_server.server_address[1]}"
    with provider_server("deepgram", "bench-key") as deepgram, provider_server("assemblyai", "bench-key") as aai:
        settings.DEEPGRAM_URL = deepgram.url
        settings.ASSEMBLYAI_URL = aai.url
        settings.ASSEMBLYAI_STREAMING_URL = aai.url.replace("http://", "ws://")
        for name in ("faster-whisper", "openai-compatible", "deepgram", "assemblyai"):
            seconds, text = batch(name, sentence, args.repeat)
            results["batch_s"][name] = round(seconds, 3)
            print(f"batch {name}: {seconds:.3f} s  {text!r}")
        for name in ("faster-whisper", "deepgram", "assemblyai"):
            results["stream"][name] = stream(name)
            print(f"stream {name}: {results['stream'][name]}")
    openai_server.shutdown()
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
