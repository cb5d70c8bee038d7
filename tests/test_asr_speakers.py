"""Speakers in imported files: `speaker_count` labels segments Speaker 1..N by offline diarization,
scored against the reference turns of a real two-person phone call (diarization error rate)."""

from importlib.metadata import distribution
from pathlib import Path

import pytest

from config.celery import app as celery_app
from meetings.models import Meeting
from meetings.transcription.der import diarization_error_rate, read_rttm
from tests.asr_http import serve_directory

# A 30 s real phone call between two people with its reference turns (RTTM), shipped as sample data in
# the pyannote.audio wheel (installed as test data only; none of its code is imported).
SAMPLE = Path(str(distribution("pyannote.audio").locate_file("pyannote/audio/sample")))
# Measured 0.069 with tiny.en (collar 0.25 s; docs/benchmarks.md); the bound leaves room for other CPUs.
MAX_DER = 0.15


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def _der(meeting: Meeting) -> float:
    hypothesis = [(s.speaker, s.start_ms / 1000, s.end_ms / 1000) for s in meeting.segments.all()]
    reference = read_rttm((SAMPLE / "sample.rttm").read_text())
    return diarization_error_rate(reference, hypothesis, collar=0.25).der


@pytest.mark.asr
@pytest.mark.django_db(transaction=True)
def test_two_person_call_is_labelled_speaker_1_and_2(api, media, eager):
    with open(SAMPLE / "sample.wav", "rb") as upload:
        response = api.post(
            "/api/v1/meetings", {"file": upload, "language": "en", "speaker_count": "2"}, format="multipart"
        )
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.status == "completed", meeting.failure_reason
    segments = api.get(f"/api/v1/meetings/{meeting.id}/transcript").json()["segments"]
    assert {s["speaker"] for s in segments} == {"Speaker 1", "Speaker 2"}
    assert segments[0]["speaker"] == "Speaker 1"  # numbered in order of first words
    assert _der(meeting) < MAX_DER

    # "auto" counts the voices itself: two here, through a JSON import by URL.
    server = serve_directory(SAMPLE)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sample.wav"
        response = api.post("/api/v1/meetings", {"file_url": url, "speaker_count": "auto"}, format="json")
    finally:
        server.shutdown()
        server.server_close()
    automatic = Meeting.objects.get(pk=response.json()["id"])
    assert automatic.status == "completed", automatic.failure_reason
    assert set(automatic.segments.values_list("speaker", flat=True)) == {"Speaker 1", "Speaker 2"}
    assert _der(automatic) < MAX_DER


@pytest.mark.django_db
@pytest.mark.parametrize("value", [0, 9, -1, 2.5, True, "two", "", "2 ", None, [2], "AUTO"])
def test_speaker_count_must_be_a_whole_number_or_auto(api, value):
    body = {"file_url": "https://files.example.com/call.mp3", "speaker_count": value}
    response = api.post("/api/v1/meetings", body, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["error"]["fields"]) == ["speaker_count"]
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_speaker_count_in_a_multipart_upload_is_checked_before_anything_is_stored(api, media):
    with open(SAMPLE / "sample.wav", "rb") as upload:
        response = api.post("/api/v1/meetings", {"file": upload, "speaker_count": "0"}, format="multipart")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["speaker_count"]
    assert Meeting.objects.count() == 0 and not list(Path(media).rglob("sample.wav"))
