"""bot_image_url through the outbound check: redirects re-checked, a name re-resolved at every download."""

import subprocess

import pytest

from bots.browser import CameraImageError, camera_file_from_image
from tests.net.servers import INTERNAL, PUBLIC, Route

pytestmark = pytest.mark.usefixtures("production_rules")
NAME = "images.example.test"
MEET = "https://meet.google.com/abc-defg-hij"


@pytest.fixture(scope="module")
def png(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("image") / "red.png"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", str(path)],
        check=True,
    )
    return path.read_bytes()


@pytest.fixture
def servers(http_pair, png):
    public, internal = http_pair
    for server in (public, internal):
        server.routes["/red.png"] = Route(body=png, headers={"Content-Type": "image/png"})
    return public, internal


def test_a_redirect_to_the_same_public_host_is_followed(servers, dns, tmp_path):
    public, _ = servers
    dns.set(NAME, PUBLIC)
    public.routes["/avatar"] = Route(302, headers={"Location": "/red.png"})
    clip = camera_file_from_image(f"http://{NAME}:{public.port}/avatar", tmp_path)
    assert clip.read_bytes().startswith(b"YUV4MPEG2 W640 H360")
    assert [r[1] for r in public.requests] == ["/avatar", "/red.png"]


@pytest.mark.parametrize("target", ["http://{internal}:{port}/red.png", "http://inside.example.test:{port}/red.png"])
def test_a_redirect_to_a_private_address_is_refused(servers, dns, tmp_path, target):
    public, internal = servers
    dns.set(NAME, PUBLIC)
    dns.set("inside.example.test", INTERNAL)
    location = target.format(internal=INTERNAL, port=internal.port)
    public.routes["/avatar"] = Route(302, headers={"Location": location})
    with pytest.raises(CameraImageError, match="^bot_image_url redirects to .*127.0.0.2, a loopback address"):
        camera_file_from_image(f"http://{NAME}:{public.port}/avatar", tmp_path)
    assert internal.requests == []


def test_a_name_that_turns_private_is_refused_at_the_next_download(servers, dns, tmp_path):
    public, internal = servers
    dns.set(NAME, PUBLIC, INTERNAL)
    url = f"http://{NAME}:{public.port}/red.png"
    assert camera_file_from_image(url, tmp_path / "first").exists()
    with pytest.raises(CameraImageError) as refused:
        camera_file_from_image(url, tmp_path / "second")
    assert str(refused.value) == (
        f"bot_image_url: '{NAME}' resolves to 127.0.0.2, a loopback address; only public addresses are allowed"
    )
    assert dns.lookups == [NAME, NAME]
    assert len(public.requests) == 1 and internal.requests == []


def test_an_image_over_the_cap_is_refused_while_streaming(servers, dns, tmp_path):
    public, _ = servers
    dns.set(NAME, PUBLIC)
    public.routes["/huge.png"] = Route(body=bytes(65536), chunks=100, headers={"Content-Type": "image/png"})
    with pytest.raises(CameraImageError, match="^bot_image_url is larger than 5 MB$"):
        camera_file_from_image(f"http://{NAME}:{public.port}/huge.png", tmp_path)


@pytest.mark.parametrize(
    ("url", "words"),
    [("http://192.168.0.10/me.png", "a private address"), ("ftp://images.example.com/me.png", "http(s) URL")],
)
def test_the_api_refuses_a_private_or_odd_image_url(api, url, words):
    response = api.post("/api/v1/bots", {"meeting_url": MEET, "bot_image_url": url}, format="json")
    assert response.status_code == 400 and words in response.json()["error"]["fields"]["bot_image_url"][0]


def test_the_api_accepts_a_public_image_url_without_resolving_it(api):
    response = api.post(
        "/api/v1/bots", {"meeting_url": MEET, "bot_image_url": "https://cdn.example.com/me.png"}, format="json"
    )
    assert response.status_code == 201, response.content
