"""ASR on the `asr_live` Celery queue: a real worker process loads the model once and answers in order."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from meetings.models import MeetingEvent, Participant
from meetings.timeline import SpeakerTimeline
from meetings.transcription.metrics import wer
from meetings.transcripts import live_transcriber_start
from tests.asr_support import feed
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.asr, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def asr_worker(tmp_path):
    redis.Redis.from_url(settings.REDIS_URL).delete("asr_live")  # nothing left over from an earlier run
    log = tmp_path / "worker.log"
    env = dict(os.environ, REDIS_URL=settings.REDIS_URL, CELERY_BROKER_URL=settings.CELERY_BROKER_URL)
    env["NOTULA_ENV"] = "test"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "asr_live", "--pool=solo", "-n", "asr-test@%h"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=open(log, "wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while b"ready." not in log.read_bytes():
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.2)
    yield log
    process.terminate()
    process.wait(timeout=20)


def test_workers_mode_transcribes_on_the_asr_queue_in_order(speech, media, asr_worker):
    audio, lines = speech
    lines = lines[:3]
    audio = audio[: (lines[-1].end_ms + 1000) * 16]
    meeting = MeetingFactory()
    ids = {
        line.speaker: Participant.objects.create(meeting=meeting, external_id=line.speaker, name=line.speaker).pk
        for line in lines
    }
    transcriber = live_transcriber_start(
        meeting=meeting,
        settings={"backend": "faster-whisper", "model": "tiny.en", "language": "en", "partials": False},
        timeline=SpeakerTimeline(),
        mode="workers",
    )
    feed(transcriber, audio, lines, ids, pace=0)
    transcriber.close()

    finals = list(MeetingEvent.objects.filter(meeting=meeting, type="segment.finalized").order_by("sequence"))
    assert [e.payload["speaker"] for e in finals] == [line.speaker for line in lines]
    starts = [e.payload["start_ms"] for e in finals]
    assert starts == sorted(starts)
    assert wer(" ".join(line.text for line in lines), " ".join(e.payload["text"] for e in finals)) <= 0.15
    log = asr_worker.read_text()
    assert log.count("meetings.tasks.transcribe_utterance") >= len(lines)
    assert log.count("Loaded ASR model faster-whisper/tiny.en") == 1
