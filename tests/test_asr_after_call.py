"""After the call: re-transcription of the recording, and meetings imported from files."""

import subprocess
from pathlib import Path

import pytest

from config.celery import app as celery_app
from meetings.models import Meeting, MeetingEvent, Participant, ParticipantEvent, Recording
from meetings.transcription.audio import write_wav
from meetings.transcription.metrics import wer
from tests.asr_http import serve_directory
from tests.factories import MeetingFactory, SegmentFactory

pytestmark = [pytest.mark.asr, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager():
    """Tasks run in the calling process (the `asr_batch` queue's code, without a worker)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def _types(meeting):
    return list(MeetingEvent.objects.filter(meeting=meeting).order_by("sequence").values_list("type", flat=True))


def _recorded_meeting(api, speech, media):
    audio, lines = speech
    meeting = MeetingFactory(organization=api.organization, title="Budget review")
    for line in lines:
        person, _ = Participant.objects.get_or_create(meeting=meeting, external_id=line.speaker, name=line.speaker)
        for kind, at in (("speech_start", line.start_ms + 100), ("speech_stop", line.end_ms + 100)):
            ParticipantEvent.objects.create(
                meeting=meeting, participant=person, kind=kind, offset_ms=at, occurred_at=meeting.created_at
            )
    write_wav(Path(media) / "recordings" / f"{meeting.id}.wav", audio)
    Recording.objects.create(meeting=meeting, kind="audio", format="wav", file=f"recordings/{meeting.id}.wav")
    return meeting, lines


def test_retranscribe_writes_a_new_revision(api, other_api, speech, media, eager):
    meeting, lines = _recorded_meeting(api, speech, media)
    SegmentFactory(meeting=meeting, speaker="Alice Smith", text="garbled live text", revision=1)

    assert (
        api.post(f"/api/v1/meetings/{meeting.id}/retranscribe", {"backend": "vosk"}, format="json").status_code == 400
    )
    assert other_api.post(f"/api/v1/meetings/{meeting.id}/retranscribe", {}, format="json").status_code == 404
    response = api.post(
        f"/api/v1/meetings/{meeting.id}/retranscribe",
        {"backend": "faster-whisper", "model": "tiny.en", "language": "en"},
        format="json",
    )
    assert response.status_code == 202, response.content
    assert response.json()["revision"] == 2

    segments = api.get(f"/api/v1/meetings/{meeting.id}/transcript").json()["segments"]
    assert wer(" ".join(line.text for line in lines), " ".join(s["text"] for s in segments)) <= 0.15
    assert [s["speaker"] for s in segments] == [line.speaker for line in lines]
    ready = MeetingEvent.objects.get(meeting=meeting, type="transcript.ready")
    assert ready.payload["revision"] == 2 and ready.payload["segments"] == len(segments)
    meeting.refresh_from_db()
    assert meeting.status == "completed" and meeting.keywords
    assert meeting.segments.filter(revision=1).count() == 1  # the live revision is kept


def test_retranscribe_needs_a_recording(api):
    meeting = MeetingFactory(organization=api.organization)
    response = api.post(f"/api/v1/meetings/{meeting.id}/retranscribe", {}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "no_recording"


def _mp3(speech, tmp_path) -> Path:
    audio, _ = speech
    wav = write_wav(tmp_path / "call.wav", audio)
    mp3 = tmp_path / "call.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-b:a", "64k", str(mp3)], check=True)
    return mp3


def test_import_multipart_upload(api, speech, media, eager, tmp_path):
    _, lines = speech
    with open(_mp3(speech, tmp_path), "rb") as upload:
        response = api.post("/api/v1/meetings", {"file": upload, "language": "auto"}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "file" and body["bot_ids"] == [] and body["title"] == "call"
    meeting = Meeting.objects.get(pk=body["id"])
    assert meeting.status == "completed", meeting.failure_reason
    assert meeting.language == "en"  # detected
    segments = api.get(f"/api/v1/meetings/{meeting.id}/transcript").json()["segments"]
    assert wer(" ".join(line.text for line in lines), " ".join(s["text"] for s in segments)) <= 0.15
    types = _types(meeting)
    assert types.count("segment.finalized") == len(segments)
    assert types[-2:] == ["document.saved", "transcript.ready"]
    srt = api.get(f"/api/v1/meetings/{meeting.id}/transcript?format=srt").content.decode()
    assert srt.startswith("1\n00:00:0") and "-->" in srt
    recording = meeting.recordings.get()
    assert recording.format == "flac" and Path(recording.file.path).exists() and recording.duration_ms > 20000


def test_import_from_url(api, speech, media, eager, tmp_path):
    _mp3(speech, tmp_path)
    (tmp_path / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk" * 50)
    server = serve_directory(tmp_path)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        good = api.post("/api/v1/meetings", {"file_url": f"{base}/call.mp3", "title": "Call"}, format="json")
        missing = api.post("/api/v1/meetings", {"file_url": f"{base}/nothing.mp3"}, format="json")
        broken = api.post("/api/v1/meetings", {"file_url": f"{base}/broken.wav"}, format="json")
    finally:
        server.shutdown()
        server.server_close()
    assert good.status_code == missing.status_code == broken.status_code == 201
    meeting = Meeting.objects.get(pk=good.json()["id"])
    assert meeting.status == "completed" and meeting.title == "Call"
    assert (
        wer(" ".join(line.text for line in speech[1]), " ".join(meeting.segments.values_list("text", flat=True))) < 0.15
    )
    failed = Meeting.objects.get(pk=missing.json()["id"])
    assert failed.status == "failed" and "404" in failed.failure_reason
    [event] = MeetingEvent.objects.filter(meeting=failed, type="transcript.failed")
    assert event.payload == {"revision": 1, "source": "file", "reason": failed.failure_reason}
    failed = Meeting.objects.get(pk=broken.json()["id"])
    assert failed.status == "failed" and "/tmp" not in failed.failure_reason
    assert failed.failure_reason.startswith("not an audio or video file") and "Error" not in failed.failure_reason
    detail = api.get(f"/api/v1/meetings/{failed.id}").json()
    assert detail["status"] == "failed" and detail["failure_reason"]


def test_import_rejects_bad_input(api, media, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not audio")
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"\x00\x01garbage" * 100)
    with open(text, "rb") as upload:
        assert api.post("/api/v1/meetings", {"file": upload}, format="multipart").json()["error"]["fields"]["file"]
    with open(junk, "rb") as upload:
        response = api.post("/api/v1/meetings", {"file": upload}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["error"]["fields"]
    response = api.post("/api/v1/meetings", {"file_url": "ftp://example.com/a.mp3"}, format="json")
    assert response.status_code == 400 and "file_url" in response.json()["error"]["fields"]
    assert api.post("/api/v1/meetings", {}, format="json").status_code == 400
    assert Meeting.objects.count() == 0
