"""An integrator's script written with GL Meemo's own Python SDK (`meemo` 0.0.10 from PyPI, installed
with `--no-deps` after `gllm-core-binary`, in its own virtualenv, unchanged) runs a whole meeting on a
simulated Google Meet call where three people each say one line, imports a file with a speaker count,
and receives the webhooks, verifying each signature. Daphne, Celery, Chromium and Whisper as in
production."""

import json
import subprocess
from importlib.metadata import distribution
from pathlib import Path

import pytest

from tests.asr_http import serve_directory
from tests.compat.stack import _worker, lines_covered, whole_stack
from tests.compat.vendor_venv import vendor_python
from tests.conftest import make_client

pytestmark = [pytest.mark.browser, pytest.mark.asr, pytest.mark.slow]
FLOW = Path(__file__).with_name("meemo_sdk_flow.py")
# A 30 s real phone call between two people, shipped as sample data in the pyannote.audio wheel.
SAMPLE = Path(str(distribution("pyannote.audio").locate_file("pyannote/audio/sample")))
# meemo requires gllm-core, which PyPI publishes as gllm-core-binary: installed first, meemo without its deps.
MEEMO_FIRST = ("gllm-core-binary==0.4.58.post1", "anyio==4.14.2", "httpx>=0.28.1", "pydantic>=2.9.0")


def test_the_meemo_sdk_runs_a_whole_meeting_and_a_file_import(transactional_db, media, tmp_path):
    python = vendor_python("meemo==0.0.10", first=MEEMO_FIRST, no_deps=True)
    issued = make_client("Dialect integrators").issued
    files = serve_directory(SAMPLE)
    audio_url = f"http://127.0.0.1:{files.server_address[1]}/sample.wav"
    try:
        # The stack's workers run bots, webhooks and the rest; file imports are transcribed on `asr_batch`.
        with whole_stack(tmp_path) as (base, meeting_link, _), _worker(tmp_path, "asr_batch", "asr"):
            run = subprocess.run(
                [str(python), str(FLOW), f"{base}/compat/meemo", issued.api_key.prefix, issued.key, meeting_link]
                + [audio_url],
                capture_output=True, text=True, timeout=580,
            )  # fmt: skip
    finally:
        files.shutdown()
        files.server_close()
    assert run.returncode == 0, run.stderr[-4000:]
    seen = json.loads(run.stdout)

    organization_id = seen["organizations"][0]["id"]
    hook = seen["webhooks"][0]
    assert hook["secret_key"].startswith("whsec_") and hook["organization_id"] == organization_id
    assert seen["webhook_read"]["id"] == hook["id"] and seen["webhooks_listed"] == [hook["id"]]
    assert "bot_meeting_url" in seen["refused_create"]

    created = seen["created"]
    assert created["id"] > 0 and created["title"] == "Budget sync" and created["num_cluster"] == 3
    assert seen["recording"], "the meeting reaches `recording` with the recording stage in progress"
    assert created["id"] in seen["listed_recording"]
    people = seen["participants"]
    assert people["total_participants"] == len(people["participants"]) >= 2
    assert len({p["name"] for p in people["participants"]} & {"Alice Smith", "Bob Jones", "Carol White"}) >= 2
    assert seen["listed"] == [created["id"]] and seen["listed_other_title"] == 0

    finished = seen["finished"]
    assert finished, "the meeting ends by itself: past, transcription completed"
    assert finished["end_time"] and finished["duration_seconds"] > 0 and finished["summary_complete"]
    assert created["id"] in seen["listed_past"]
    transcript = seen["transcript"]
    assert transcript["total_segments"] == len(transcript["transcripts"]) >= 2
    assert lines_covered([t["text"] for t in transcript["transcripts"]]) >= 2
    assert len({t["speaker"] for t in transcript["transcripts"]}) >= 2
    media_answer = seen["recording_media"]
    audio = [a for a in media_answer["assets"] if a["media_kind"] == "audio"]
    assert audio and audio[0]["url"].startswith("http") and media_answer["duration"] > 0
    assert media_answer["recording_url"] == audio[0]["url"]
    assert seen["summary"]["summary"] and seen["summary"]["keywords"]

    assert seen["imported"]["status"] == "past"
    assert seen["imported_done"]["transcription"]["status"] == "completed", seen["imported_done"]
    speakers = {t["speaker"] for t in seen["imported_transcript"]["transcripts"]}
    assert speakers == {"Speaker 1", "Speaker 2"}, "speaker_count labels the import's two speakers"
    usage = {row["capability_name"]: row["usage"] for row in seen["usage"]}
    assert usage["meetings"] == 2 and usage["transcription_minutes"] > 0

    received = seen["received"]
    assert received and all(r["verified"] for r in received), "every webhook verifies with the secret_key"
    events = [r["body"]["event"] for r in received]
    assert {"meeting.created", "meeting.transcription_completed", "meeting.summarization_completed"} <= set(events)
    assert all(r["body"]["data"]["meeting_id"] in (created["id"], seen["imported"]["id"]) for r in received)
    logged = {e["event_type"] for e in seen["delivery_log"] if e["webhook_id"] == hook["id"]}
    assert {"meeting.created", "meeting.transcription_completed"} <= logged
    assert seen["unknown_meeting"] == "not found" and seen["deleted_webhook"] == "not found"
    assert seen["wrong_secret"] == "refused"
