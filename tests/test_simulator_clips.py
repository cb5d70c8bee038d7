"""Recorded lines in a simulated meeting's script: clips uploaded or fetched from `audio_url`, decoded
when the scenario is submitted (wav, mp3, flac), served to the meeting page, and refused naming the field."""

import io
import json
import subprocess
import wave
from pathlib import Path

import pytest

from tests.asr_http import serve_directory

PEOPLE = [{"name": "Alice Smith"}, {"name": "Bob Jones"}]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def tone(path: Path, seconds: float) -> Path:
    """A sine tone in the format the file name says (wav, mp3, flac, ogg)."""
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", str(path)],
        check=True,
    )
    return path


def upload(api, script: list, files: dict):
    body = {"platform": "zoom", "scenario": json.dumps({"participants": PEOPLE, "script": script}), **files}
    return api.post("/simulator/api/meetings", body, format="multipart")


def served_seconds(api, meeting: dict, line_id: str) -> float:
    answer = api.get(f"/simulator/zoom/{meeting['id']}/audio/{line_id}.wav")
    assert answer.status_code == 200 and answer["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(b"".join(answer.streaming_content))) as clip:
        return clip.getnframes() / clip.getframerate()


@pytest.mark.parametrize("fmt", ["wav", "mp3", "flac"])
def test_an_uploaded_clip_is_decoded_at_submission_and_served_for_its_line(api, media, tmp_path, fmt):
    clip = tone(tmp_path / f"hello.{fmt}", 1.5)
    script = [
        {"at_s": 4, "speaker": "Bob Jones", "audio": "hello", "text": "Hello there."},
        {"at_s": 1, "speaker": "Alice Smith", "text": "Good morning."},
    ]
    answer = upload(api, script, {"hello": clip.open("rb")})
    assert answer.status_code == 201, answer.json()
    meeting = answer.json()
    spoken, recorded = meeting["lines"]
    assert spoken["text"] == "Good morning." and "clip" not in spoken
    assert recorded["speaker"] == "Bob Jones" and recorded["text"] == "Hello there." and recorded["audio"] == "hello"
    assert 1.45 <= recorded["duration_s"] <= 1.6
    assert 1.45 <= served_seconds(api, meeting, recorded["id"]) <= 1.6


def test_a_clip_fetched_from_its_url_needs_no_text(api, media, tmp_path):
    tone(tmp_path / "remote.flac", 2.0)
    server = serve_directory(tmp_path)
    try:
        url = f"http://127.0.0.1:{server.server_port}/remote.flac"
        answer = api.post(
            "/simulator/api/meetings",
            {"platform": "zoom", "scenario": {"participants": PEOPLE, "script": [
                {"at_s": 1, "speaker": "Alice Smith", "audio_url": url}]}},
            format="json",
        )  # fmt: skip
    finally:
        server.shutdown()
    assert answer.status_code == 201, answer.json()
    (line,) = answer.json()["lines"]
    assert line["text"] == "" and line["audio_url"] == url and 1.95 <= line["duration_s"] <= 2.1
    assert 1.95 <= served_seconds(api, answer.json(), line["id"]) <= 2.1


def test_the_same_clip_in_two_meetings_is_decoded_once(api, media, tmp_path):
    clip = tone(tmp_path / "again.wav", 1.0)
    line = [{"at_s": 1, "speaker": "Alice Smith", "audio": "again"}]
    first = upload(api, line, {"again": clip.open("rb")}).json()["lines"][0]
    second = upload(api, line, {"again": clip.open("rb")}).json()["lines"][0]
    assert first["clip"] == second["clip"]
    assert len(list((media / "simulator" / "clips").iterdir())) == 1


LINE = "scenario.script[0]"


@pytest.mark.parametrize(
    ("line", "files", "field"),
    [
        ({"audio": "nothing"}, {}, f"{LINE}.audio"),
        ({"audio": "clip"}, {"clip": ("clip.wav", b"RIFF but no audio at all")}, f"{LINE}.audio"),
        ({"audio": "clip"}, {"clip": ("list.m3u", b"#EXTM3U\n#EXTINF:1,\n/etc/hostname\n")}, f"{LINE}.audio"),
        ({"audio": "clip"}, {"clip": "ogg"}, f"{LINE}.audio"),
        ({"audio": "clip", "audio_url": "http://127.0.0.1:9/x.wav"}, {"clip": "wav"}, f"{LINE}.audio"),
        ({"text": "Hi"}, {"stray": "wav"}, "stray"),
        ({"audio": "clip", "text": ""}, {"clip": "wav"}, f"{LINE}.text"),
        ({}, {}, f"{LINE}.text"),
        ({"audio": 7}, {}, f"{LINE}.audio"),
    ],
)
def test_bad_uploads_name_the_field(api, media, tmp_path, line, files, field):
    parts = {}
    for name, content in files.items():
        if isinstance(content, str):
            parts[name] = tone(tmp_path / f"{name}.{content}", 0.5).open("rb")
        else:
            path = tmp_path / content[0]
            path.write_bytes(content[1])
            parts[name] = path.open("rb")
    answer = upload(api, [{"at_s": 1, "speaker": "Alice Smith", **line}], parts)
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["error"]["fields"], answer.json()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",  # the metadata address: never fetched
        "ftp://example.com/clip.wav",
        "http://127.0.0.1:{port}/missing.wav",  # a 404
        "http://127.0.0.1:{port}/notes.txt",  # fetched, but no audio
        "",
    ],
)
def test_bad_audio_urls_name_the_field(api, media, tmp_path, url):
    (tmp_path / "notes.txt").write_text("no audio here\n")
    server = serve_directory(tmp_path)
    try:
        line = {"at_s": 1, "speaker": "Alice Smith", "audio_url": url.format(port=server.server_port)}
        answer = api.post(
            "/simulator/api/meetings",
            {"platform": "zoom", "scenario": {"participants": PEOPLE, "script": [line]}},
            format="json",
        )
    finally:
        server.shutdown()
    assert answer.status_code == 400, answer.json()
    assert f"{LINE}.audio_url" in answer.json()["error"]["fields"], answer.json()


def test_a_multipart_scenario_must_be_a_json_object(api, media):
    answer = api.post("/simulator/api/meetings", {"platform": "zoom", "scenario": "[1, 2"}, format="multipart")
    assert answer.status_code == 400 and "scenario" in answer.json()["error"]["fields"], answer.json()
    answer = api.post("/simulator/api/meetings", {"platform": "zoom", "scenario": "[1, 2]"}, format="multipart")
    assert answer.status_code == 400 and "scenario" in answer.json()["error"]["fields"], answer.json()
