"""Two people speaking at once: WER of the overlapping speech, transcribed live by a whole bot (runner,
Chromium, WebRTC capture, one track per participant) in the simulator's Zoom, which sends each
participant's voice on its own track.

Each participant says one line alone (the speaking indicators tell the bot whose track is whose), then
both say different sentences at the same moment, three times. Measured from the stored transcript:

- per speaker, WER of the segments under their name (from the first overlap on) against what they said
  over the other; both speakers' words together;
- for comparison, the same stretch of the bot's mixed recording transcribed offline with the same model
  (what one mixed stream can give), against both speakers' sentences.

    .venv/bin/python benchmarks/overlap.py [--port 8016]
"""

import argparse
import json
import os

from _setup import django_setup, machine, server_start

VOICES = {"Alice Smith": "en-us", "Bob Jones": "en-gb"}
ALONE = [
    (1.0, "Alice Smith", "Good morning everyone, the budget for next year is ready."),
    (5.5, "Bob Jones", "Thank you Alice, sales were very good in the first quarter."),
]
OVERLAPS = [
    (10.5, "We need two new people in the support team.", "The office moves to a bigger building in June."),
    (15.5, "Please send me the report before Friday.", "I will call the customer after lunch today."),
    (20.5, "The new website goes live next month.", "Our train leaves from the central station at nine."),
]
ENDS_AT_S = 28


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8016)
    args = parser.parse_args()
    at_start = machine()
    django_setup(database=True)
    from django.conf import settings

    from accounts.services import organization_get_or_create, project_resolve
    from bots.models import Bot
    from bots.runner import run
    from bots.services import bot_settings_merge
    from meetings.models import Meeting, Recording
    from meetings.selectors import recordings_mixed
    from meetings.transcription.audio import decode
    from meetings.transcription.base import BackendOptions
    from meetings.transcription.metrics import wer
    from meetings.transcription.registry import backend_get
    from simulator import services as sim
    from simulator.doors import door_links

    server, media = server_start(args.port)
    try:
        organization = organization_get_or_create(name="Benchmark")
        project = project_resolve(organization=organization, name="bench")
        lines = [*ALONE]
        for at, alice, bob in OVERLAPS:
            lines += [(at, "Alice Smith", alice), (at, "Bob Jones", bob)]
        scenario = {
            "lobby": {"policy": "admit", "after_s": 0.5},
            "participants": [{"name": name, "voice": voice} for name, voice in VOICES.items()],
            "script": [{"at_s": at, "speaker": who, "text": text} for at, who, text in lines],
            "ends_at_s": ENDS_AT_S,
        }
        simulated = sim.sim_meeting_create(organization=organization, platform="zoom", scenario=scenario)
        url = door_links(simulated, f"http://127.0.0.1:{args.port}")["meeting"]
        meeting = Meeting.objects.create(organization=organization, project=project, meeting_url=url, platform="zoom")
        bot = Bot.objects.create(
            organization=organization,
            project=project,
            meeting=meeting,
            meeting_url=url,
            platform="zoom",
            bot_name="Notula",
            settings=bot_settings_merge(None, {"recording": {"audio_format": "flac"}}),
        )
        run(bot.id)
    finally:
        server.terminate()
        server.wait(timeout=20)

    first_ms = int(OVERLAPS[0][0] * 1000) - 500
    segments = list(meeting.segments.filter(start_ms__gte=first_ms).order_by("start_ms"))
    expected = {"Alice Smith": [a for _, a, _ in OVERLAPS], "Bob Jones": [b for _, _, b in OVERLAPS]}
    heard = {name: " ".join(s.text for s in segments if s.speaker == name) for name in expected}
    result: dict = {"machine": at_start, "load_at_end": round(os.getloadavg()[0], 1)}
    for name, said in expected.items():
        result[f"wer_{name.split()[0].lower()}"] = round(wer(" ".join(said), heard[name]), 3)
    both_expected = " ".join(" ".join(said) for said in expected.values())
    result["wer_overlap_per_track"] = round(wer(both_expected, " ".join(heard.values())), 3)

    lossless = recordings_mixed(meeting=meeting).get(kind=Recording.Kind.AUDIO, format="flac")
    audio = decode(lossless.file.path)
    engine = backend_get(BackendOptions("faster-whisper", settings.ASR_MODEL, compute_type=settings.ASR_COMPUTE_TYPE))
    # The whole recording (Whisper hears nothing in the overlapping stretch cut out alone), then its words
    # from the first overlap on.
    words = engine.transcribe(
        audio, language="en", beam_size=settings.ASR_OFFLINE_BEAM_SIZE, word_timestamps=True, vad_filter=True
    ).words
    mixed_text = " ".join(w.text.strip() for w in words if w.start_ms >= first_ms)
    result["wer_overlap_mixed_offline"] = round(wer(both_expected, mixed_text), 3)
    result["heard"] = {**heard, "mixed_offline": mixed_text}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
