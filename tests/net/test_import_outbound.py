"""file_url imports through the outbound check: redirects re-checked, the name resolved at download time."""

import pytest

from meetings.imports import ImportFailed, meeting_import_run
from meetings.models import Meeting
from tests.net.servers import INTERNAL, PUBLIC, Route

pytestmark = pytest.mark.usefixtures("production_rules")
NAME = "files.example.test"
NOT_AUDIO = b"RIFF\x00\x00\x00\x00WAVEjunk" * 64


def _import(api, url: str) -> Meeting:
    """What the API and then the asr worker do with a file_url."""
    response = api.post("/api/v1/meetings", {"file_url": url}, format="json")
    assert response.status_code == 201, response.content
    meeting = meeting_import_run(meeting_id=response.json()["id"], source=url, options={})
    assert meeting.status == "failed"
    return meeting


def test_a_name_that_turns_private_is_refused_at_the_next_download(api, media, http_pair, dns):
    public, internal = http_pair
    public.routes["/call.wav"] = internal.routes["/call.wav"] = Route(body=NOT_AUDIO)
    dns.set(NAME, PUBLIC, INTERNAL)
    url = f"http://{NAME}:{public.port}/call.wav"
    first = _import(api, url)
    assert first.failure_reason.startswith("not an audio or video file")  # downloaded, then judged
    second = _import(api, url)
    assert second.failure_reason == (
        f"file_url: '{NAME}' resolves to 127.0.0.2, a loopback address; only public addresses are allowed"
    )
    assert dns.lookups == [NAME, NAME]
    assert len(public.requests) == 1 and internal.requests == []


def test_a_redirect_to_a_private_address_is_refused(api, media, http_pair, dns):
    public, internal = http_pair
    public.routes["/call.wav"] = Route(302, headers={"Location": f"http://{INTERNAL}:{internal.port}/call.wav"})
    internal.routes["/call.wav"] = Route(body=NOT_AUDIO)
    dns.set(NAME, PUBLIC)
    meeting = _import(api, f"http://{NAME}:{public.port}/call.wav")
    assert meeting.failure_reason == (
        "file_url redirects to '127.0.0.2', which is 127.0.0.2, a loopback address; only public addresses are allowed"
    )
    assert internal.requests == []


def test_a_redirect_to_a_public_host_is_followed(api, media, http_pair, dns):
    public, _ = http_pair
    public.routes["/share/abc"] = Route(302, headers={"Location": "/files/call.wav"})
    public.routes["/files/call.wav"] = Route(body=NOT_AUDIO)
    dns.set(NAME, PUBLIC)
    meeting = _import(api, f"http://{NAME}:{public.port}/share/abc")
    assert meeting.failure_reason.startswith("not an audio or video file")
    assert [r[1] for r in public.requests] == ["/share/abc", "/files/call.wav"]


def test_size_time_and_status_failures_are_sentences(api, media, http_pair, dns, settings):
    public, _ = http_pair
    dns.set(NAME, PUBLIC)
    settings.IMPORT_MAX_BYTES = 1000
    settings.IMPORT_DOWNLOAD_TIMEOUT_S = 1
    public.routes["/big.wav"] = Route(body=bytes(5000))
    public.routes["/slow.wav"] = Route(body=b"x", chunks=30, delay_s=0.2)
    base = f"http://{NAME}:{public.port}"
    assert _import(api, f"{base}/big.wav").failure_reason == "file_url is larger than 1000 bytes"
    assert _import(api, f"{base}/slow.wav").failure_reason == "file_url took longer than 1 s"
    assert _import(api, f"{base}/gone.wav").failure_reason == "file_url answered HTTP 404"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://10.0.0.5/a.mp3", "10.0.0.5, a private address"),
        ("http://[::ffff:192.168.1.1]/a.mp3", "(192.168.1.1), a private address"),
        ("http://169.254.169.254/latest", "a cloud metadata address"),
        ("ftp://files.example.com/a.mp3", "must be an http(s) URL"),
    ],
)
def test_the_api_refuses_a_private_file_url(api, url, words):
    response = api.post("/api/v1/meetings", {"file_url": url}, format="json")
    assert response.status_code == 400
    assert words in response.json()["error"]["fields"]["file_url"][0]
    assert not Meeting.objects.exists()


def test_a_url_whose_last_part_is_dot_dot_is_stored_under_a_plain_name(db, tmp_path):
    from meetings.imports import _download

    directory = tmp_path / "download"
    directory.mkdir()
    with pytest.raises(ImportFailed) as failed:
        _download("http://203.0.113.9/media/..", directory)  # nothing answers there: the name is what counts
    assert "SuspiciousFileOperation" not in failed.value.args[0] and "Error" not in failed.value.args[0]
