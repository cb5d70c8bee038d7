"""Live transcription of N bots at once, each a whole bot (runner, Chromium, WebRTC capture, speaking
indicators) in its own process, in simulated Google Meet calls of three speakers.

Starts a Notula server on --port against a benchmark database, creates N simulated meetings with the
same three-speaker script, runs N bots in parallel, and measures from the events they published:

- speech end -> `segment.finalized` (p50, p95) and speech start -> first `caption.partial` (p50, p95),
  with speech start/end as the page's speaking indicators reported them, matched to the turn's own
  speaker's events; the lines start once every bot is in its call (LEAD_IN_S);
- live WER against the script, next to the WER of an offline transcription of each bot's lossless
  recording with the same model, and live against that offline transcript (with --script long, a
  stand-up of about 440 words, WER is measured to a quarter of a point; the short script's 60
  words move it by 1.7 points a word; --script real plays recorded people instead of espeak-ng:
  benchmarks/_real_speech.py);
- share of words attributed to the speaker the indicators showed;
- the bots' memory (benchmarks/_memory.py) and CPU by process kind (with --chromium-threads, Chromium's
  by thread too: audio output, AudioWorklet, WebRTC).

The hosts admit the bots only once all of them wait in their lobbies, so every call runs with N bots
live. `--pool processes` runs each bot in a process of its own (a prefork bots worker, the default);
`--pool threads` runs them as threads of one process (NOTULA_BOTS_POOL=threads).

    .venv/bin/python benchmarks/live_simulator.py [--bots 4] [--port 8015] [--script short|long|real]
        [--pool processes|threads] [--chromium-threads]
"""

import argparse
import json
import multiprocessing
import os
import statistics
import time
import wave
from datetime import timedelta

from _bots import admit_when_all_wait, run_bot, run_bots
from _cpu import CpuByKind
from _meeting_script import LONG, SHORT
from _memory import BotMemory
from _real_speech import SPEAKERS as REAL_SPEAKERS
from _real_speech import real_script, source_wer
from _setup import django_setup, machine, percentile, server_start

# The short script's lines at fixed times (s after LEAD_IN_S), as earlier figures were measured.
SHORT_AT_S = [1.0, 6.5, 11.5, 15.5, 18.5, 22.5]
# The long script's lines follow each other with these pauses in turn (s): some quick hand-overs.
LONG_GAPS_S = [0.6, 1.3, 1.0, 0.7]
VOICES = {"Alice Smith": "en-us", "Bob Jones": "en-gb", "Carol White": "en-us"}
# Every meeting's lines start this long after its bot is admitted. The hosts admit the bots only once
# every bot waits in its lobby, ADMIT_EVERY_S apart: starting a bot (Chromium, join) takes about a
# core for a few seconds, and what is measured here is transcription with N bots live, not bot
# start-up (benchmarks/startup.py and bots_per_machine.py).
LEAD_IN_S = 3.0


def _own_first(events: list, speaker: str) -> list:
    """The events attributed to `speaker`, or all of them when none is."""
    return [e for e in events if e.payload.get("speaker") == speaker] or events


def timed_script(name: str) -> tuple[list, float, dict]:
    """(at_s, speaker, text, clip name or None) lines of the script, when the meeting ends (s after
    admission), and the recorded lines' clips by name."""
    if name == "real":
        lines, at, clips = real_script()
        return lines, at + 3 + LEAD_IN_S, clips
    if name == "short":
        lines = [(at, who, text, None) for at, (who, text) in zip(SHORT_AT_S, SHORT, strict=True)]
        return lines, 30 + LEAD_IN_S, {}
    from simulator.tts import tts_render

    lines, at = [], 1.0
    for index, (who, text) in enumerate(LONG):
        lines.append((round(at, 2), who, text, None))
        with wave.open(str(tts_render(voice=VOICES[who], text=text))) as spoken:
            at += spoken.getnframes() / spoken.getframerate() + LONG_GAPS_S[index % len(LONG_GAPS_S)]
    return lines, at + 3 + LEAD_IN_S, {}


def _line(at: float, who: str, text: str, clip: str | None) -> dict:
    line = {"at_s": at + LEAD_IN_S, "speaker": who, "text": text}
    return line | {"audio": clip} if clip else line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bots", type=int, default=4)
    parser.add_argument("--port", type=int, default=8015)
    # Threads per model call: 1 where each bot has its own model (processes), the server's default
    # (the cores) where the bots share one (threads; with 1 it fell far behind: docs/benchmarks.md).
    parser.add_argument("--threads", type=int)
    parser.add_argument("--script", choices=["short", "long", "real"], default="short")
    parser.add_argument("--pool", choices=["processes", "threads"], default="processes")
    parser.add_argument("--json")
    # Chromium's CPU by thread too (audio output, AudioWorklet, WebRTC...): where a page's share goes.
    parser.add_argument("--chromium-threads", action="store_true")
    args = parser.parse_args()
    if args.threads is None:
        args.threads = 1 if args.pool == "processes" else 0
    at_start = machine()
    django_setup(database=True)
    from django.conf import settings

    from accounts.services import organization_get_or_create, project_resolve
    from bots.models import Bot
    from bots.services import bot_settings_merge
    from meetings.models import Meeting, MeetingEvent, ParticipantEvent
    from meetings.selectors import recordings_mixed
    from meetings.transcription.audio import decode
    from meetings.transcription.base import BackendOptions
    from meetings.transcription.metrics import speaker_word_accuracy, wer
    from meetings.transcription.registry import backend_get
    from simulator import services as sim

    server, media = server_start(args.port)
    os.environ.update(NOTULA_MEDIA_ROOT=str(media))
    try:
        organization = organization_get_or_create(name="Benchmark")
        project = project_resolve(organization=organization, name="bench")
        script, ends_at_s, clips = timed_script(args.script)
        voices = dict.fromkeys(REAL_SPEAKERS, "en-us") if clips else VOICES
        scenario = {
            "lobby": {"policy": "never"},
            "participants": [{"name": name, "voice": voice} for name, voice in voices.items()],
            "script": [_line(*line) for line in script],
            "ends_at_s": ends_at_s,
        }
        bots, simulated_meetings = [], []
        for _ in range(args.bots):
            simulated = sim.sim_meeting_create(
                organization=organization, platform="google_meet", scenario=scenario, clips=clips
            )
            simulated_meetings.append(simulated)
            url = f"http://127.0.0.1:{args.port}/simulator/google_meet/{simulated.pk}"
            meeting = Meeting.objects.create(
                organization=organization, project=project, meeting_url=url, platform="google_meet"
            )
            bots.append(
                Bot.objects.create(
                    organization=organization,
                    project=project,
                    meeting=meeting,
                    meeting_url=url,
                    platform="google_meet",
                    bot_name="Notula",
                    settings=bot_settings_merge(None, {"recording": {"audio_format": "flac"}}),
                )
            )
        context = multiprocessing.get_context("spawn")
        reports = context.Queue()
        if args.pool == "threads":
            processes = [context.Process(target=run_bots, args=([bot.id for bot in bots], args.threads, reports))]
        else:
            processes = [context.Process(target=run_bot, args=(bot.id, args.threads, reports)) for bot in bots]
        cpu = CpuByKind(chromium_threads=args.chromium_threads).start()
        memory = BotMemory(len(bots)).start()
        for index, process in enumerate(processes):
            process.start()
            time.sleep(1.0 if index < len(processes) - 1 else 0)
        admit_when_all_wait(simulated_meetings)
        for process in processes:
            process.join(timeout=ends_at_s + 240)
        cpu_used = cpu.stop()
        memory_used = memory.stop()
        # CPU seconds per thread of the runner processes, summed over the bots.
        runner_threads: dict[str, float] = {}
        for _ in processes:
            for name, seconds in reports.get(timeout=5).items():
                runner_threads[name] = round(runner_threads.get(name, 0.0) + seconds, 2)
        cpu_used["runner_thread_cpu_s"] = dict(sorted(runner_threads.items(), key=lambda x: -x[1]))
    finally:
        server.terminate()
        server.wait(timeout=20)

    offline = backend_get(BackendOptions("faster-whisper", settings.ASR_MODEL, compute_type=settings.ASR_COMPUTE_TYPE))

    def offline_transcribe(path) -> str:
        options = {"beam_size": settings.ASR_OFFLINE_BEAM_SIZE, "word_timestamps": True, "vad_filter": True}
        return offline.transcribe(decode(path), language="en", **options).text

    script_text = " ".join(line[2] for line in script)
    finals_latency, partial_latency, live_wers, offline_wers, live_vs_offline, accuracy = [], [], [], [], [], []
    statuses, per_bot = [], []
    for bot in bots:
        bot.refresh_from_db()
        meeting = Meeting.objects.get(pk=bot.meeting_id)
        statuses.append(f"{bot.status}/{bot.end_reason}")
        origin = meeting.started_at
        speech = list(
            ParticipantEvent.objects.filter(meeting=meeting, kind__in=["speech_start", "speech_stop"])
            .select_related("participant")
            .order_by("offset_ms")
        )
        turns, open_ = [], {}
        for event in speech:
            if event.kind == "speech_start":
                open_[event.participant_id] = event
            elif event.participant_id in open_:
                began = open_.pop(event.participant_id)
                turns.append((event.participant.name, began.offset_ms, event.offset_ms))
        events = list(MeetingEvent.objects.filter(meeting=meeting).order_by("sequence"))
        finals = [e for e in events if e.type == "segment.finalized"]
        partials = [e for e in events if e.type == "caption.partial"]
        lines = []
        for speaker, start_ms, end_ms in turns:
            line = {}
            lines.append(line)
            # A turn's final is the last segment of the turn's own speaker that starts within it: when
            # the next speaker starts right after, their segment (its start pulled back by the pre-roll)
            # can begin inside this turn too. A turn whose words all went to someone else falls back
            # to any segment (speaker_accuracy counts that error).
            mine = _own_first([e for e in finals if start_ms - 800 <= e.payload["start_ms"] <= end_ms], speaker)
            if mine:
                spoken_end = origin + timedelta(milliseconds=end_ms)
                finals_latency.append((mine[-1].created_at - spoken_end).total_seconds())
                line["final"] = round(finals_latency[-1], 2)
            early = _own_first([e for e in partials if start_ms - 800 <= e.payload["start_ms"] <= end_ms], speaker)
            if early:
                spoken_start = origin + timedelta(milliseconds=start_ms)
                partial_latency.append((early[0].created_at - spoken_start).total_seconds())
                line["partial"] = round(partial_latency[-1], 2)
        # Per line of the script, in order: latencies of its first partial and its final (s).
        per_bot.append(" ".join(f"{line.get('partial', '-')}/{line.get('final', '-')}" for line in lines))
        text = " ".join(e.payload["text"] for e in finals)
        live_wers.append(wer(script_text, text))
        recording = recordings_mixed(meeting=meeting).filter(format__in=["flac", "wav"]).first()
        if recording is not None:
            offline_text = offline_transcribe(recording.file.path)
            offline_wers.append(wer(script_text, offline_text))
            live_vs_offline.append(wer(offline_text, text))
        accuracy.append(speaker_word_accuracy(turns, [(e.payload["speaker"], e.payload["words"]) for e in finals]))
    result = {
        "machine": at_start,
        "bots": args.bots,
        "bot_endings": statuses,
        "utterances_seen": len(finals_latency),
        "segment_finalized_p50_s": round(percentile(finals_latency, 0.5), 2),
        "segment_finalized_p95_s": round(percentile(finals_latency, 0.95), 2),
        "first_partial_p50_s": round(percentile(partial_latency, 0.5), 2),
        "first_partial_p95_s": round(percentile(partial_latency, 0.95), 2),
        "utterances_with_partial": len(partial_latency),
        "first_partial_and_final_s_per_line": per_bot,
        "live_wer": round(statistics.mean(live_wers), 3),
        "offline_wer": round(statistics.mean(offline_wers), 3) if offline_wers else None,
        "live_vs_offline_wer": round(statistics.mean(live_vs_offline), 3) if live_vs_offline else None,
        "speaker_accuracy": round(statistics.mean(accuracy), 3),
        # The recorded lines transcribed one clip at a time, outside any call (--script real).
        "source_wer": round(source_wer(script, clips, offline_transcribe, wer), 3) if clips else None,
        "load_average_after": round(os.getloadavg()[0], 1),
        "cpu_cores_by_process_kind": cpu_used,
        # Whole bots (runners with their share of the model, Chromium, chromedriver), at the run's peak.
        "memory": memory_used,
    }
    print(json.dumps(result, indent=2))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
