"""Live pipeline under load: N bots' audio transcribed at once, each in its own process (as bot workers run).

Each feeder plays the three-speaker espeak-ng script, passed through an Opus round trip (what WebRTC
does to a participant's voice), into a LiveTranscriber at real-time pace in 100 ms chunks, with a
speaker timeline driven like the page's speaking indicators (150 ms late). Measured from the events
in the database:

- speech end -> `segment.finalized` (p50, p95), speech start -> first `caption.partial` (p50, p95);
- live WER against the script, next to the WER of an offline transcription of the same recording
  with the same model, and the WER of live against that offline transcript;
- share of words attributed to the right speaker.

    .venv/bin/python benchmarks/live_latency.py [--bots 4] [--threads 1] [--mode inline|workers]
        [--model tiny.en] [--device cpu|cuda] [--compute-type int8|float16]

On a GPU (docs/transcription.md, On a GPU): `--device cuda --compute-type float16 --model base`, raising
`--bots` until the latency targets (finalized p95 <= 1 s, first partial p95 <= 0.5 s) no longer hold.
"""

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import tempfile
import time

from _setup import django_setup, machine, percentile


def opus_round_trip(audio):
    from meetings.transcription.audio import decode, write_wav

    with tempfile.TemporaryDirectory() as tmp:
        wav = write_wav(f"{tmp}/in.wav", audio)
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-c:a", "libopus", "-b:a", "32k", f"{tmp}/x.ogg"],
            check=True,
        )
        return decode(f"{tmp}/x.ogg")


def feeder(index: int, meeting_id: str, ids: dict, audio_path: str, lines: list, args: dict, out) -> None:
    os.environ["NOTULA_ASR_CPU_THREADS"] = str(args["threads"])
    django_setup()
    import numpy as np

    from meetings.models import Meeting
    from meetings.timeline import SpeakerTimeline
    from meetings.transcripts import live_transcriber_start
    from tests.asr_script import Line
    from tests.asr_support import feed

    audio = np.load(audio_path)
    time.sleep(index * 1.3)  # bots do not speak in lockstep
    transcriber = live_transcriber_start(
        meeting=Meeting.objects.get(pk=meeting_id),
        settings={
            "backend": "faster-whisper",
            "model": args["model"],
            "language": "en",
            "device": args["device"],
            "compute_type": args["compute_type"],
        },
        timeline=SpeakerTimeline(),
        bot_id=f"bench{index}",
        mode=args["mode"],
    )
    time.sleep(1.0)  # the model is loaded before the call starts, as in a bot that just joined
    started = time.time()
    feed(transcriber, audio, [Line(**line) for line in lines], ids, pace=1.0)
    transcriber.close()
    out.put((meeting_id, started))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bots", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--mode", default="inline", choices=["inline", "workers"])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--compute-type", default="int8", help="float16 on a GPU")
    parser.add_argument("--json")
    args = parser.parse_args()
    at_start = machine()
    django_setup(database=True)
    import numpy as np
    from django.conf import settings

    from accounts.services import organization_get_or_create, project_resolve
    from meetings.models import Meeting, MeetingEvent, Participant
    from meetings.transcription.base import BackendOptions
    from meetings.transcription.metrics import speaker_word_accuracy, wer
    from meetings.transcription.registry import backend_get
    from tests.asr_script import render

    audio, lines = render()
    audio = opus_round_trip(audio)
    path = tempfile.mktemp(suffix=".npy")
    np.save(path, audio)
    organization = organization_get_or_create(name="Benchmark")
    project = project_resolve(organization=organization, name="bench")
    meetings = []
    for index in range(args.bots):
        meeting = Meeting.objects.create(organization=organization, project=project, title=f"bench {index}")
        ids = {
            name: Participant.objects.create(meeting=meeting, external_id=name, name=name).pk
            for name in sorted({line.speaker for line in lines})
        }
        meetings.append((meeting.id, ids))

    queue = multiprocessing.get_context("spawn").Queue()
    options = {
        "threads": args.threads,
        "model": args.model,
        "mode": args.mode,
        "device": args.device,
        "compute_type": args.compute_type,
    }
    plain_lines = [line.__dict__ for line in lines]
    processes = [
        multiprocessing.get_context("spawn").Process(
            target=feeder, args=(i, mid, ids, path, plain_lines, options, queue)
        )
        for i, (mid, ids) in enumerate(meetings)
    ]
    for process in processes:
        process.start()
    started = dict(queue.get(timeout=600) for _ in processes)
    for process in processes:
        process.join()

    offline = backend_get(
        BackendOptions("faster-whisper", args.model, device=args.device, compute_type=args.compute_type)
    )
    offline_text = offline.transcribe(
        audio, language="en", beam_size=settings.ASR_OFFLINE_BEAM_SIZE, word_timestamps=True, vad_filter=True
    ).text
    script = " ".join(line.text for line in lines)
    finals_latency, partial_latency, live_wers, live_vs_offline, accuracy = [], [], [], [], []
    for meeting_id, _ in meetings:
        t0 = started[meeting_id]
        events = list(MeetingEvent.objects.filter(meeting_id=meeting_id).order_by("sequence"))
        finals = [e for e in events if e.type == "segment.finalized"]
        partials = [e for e in events if e.type == "caption.partial"]
        for line in lines:
            mine = [e for e in finals if line.start_ms - 400 <= e.payload["start_ms"] <= line.end_ms]
            if mine:
                finals_latency.append(mine[-1].created_at.timestamp() - (t0 + line.end_ms / 1000))
            early = [e for e in partials if line.start_ms - 400 <= e.payload["start_ms"] <= line.end_ms]
            if early:
                partial_latency.append(early[0].created_at.timestamp() - (t0 + line.start_ms / 1000))
        text = " ".join(e.payload["text"] for e in finals)
        live_wers.append(wer(script, text))
        live_vs_offline.append(wer(offline_text, text))
        accuracy.append(
            speaker_word_accuracy(
                [(line.speaker, line.start_ms, line.end_ms) for line in lines],
                [(e.payload["speaker"], e.payload["words"]) for e in finals],
            )
        )
    result = {
        "machine": at_start,
        "bots": args.bots,
        "mode": args.mode,
        "threads_per_model": args.threads,
        "model": args.model,
        "device": args.device,
        "compute_type": args.compute_type,
        "utterances": len(lines) * args.bots,
        "segment_finalized_p50_s": round(percentile(finals_latency, 0.5), 2),
        "segment_finalized_p95_s": round(percentile(finals_latency, 0.95), 2),
        "first_partial_p50_s": round(percentile(partial_latency, 0.5), 2),
        "first_partial_p95_s": round(percentile(partial_latency, 0.95), 2),
        "utterances_with_partial": len(partial_latency),
        "live_wer": round(statistics.mean(live_wers), 3),
        "offline_wer": round(wer(script, offline_text), 3),
        "live_vs_offline_wer": round(statistics.mean(live_vs_offline), 3),
        "speaker_accuracy": round(statistics.mean(accuracy), 3),
        "load_average_after": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)
    Meeting.objects.filter(pk__in=[m for m, _ in meetings]).delete()


if __name__ == "__main__":
    main()
