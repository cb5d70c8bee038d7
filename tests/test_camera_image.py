import pytest

from bots.browser import CameraImageError, camera_file_from_image
from tests.asr_http import serve_directory
from tests.images import still_image


@pytest.fixture
def files(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    still_image(served / "red.png", "color=c=red:s=320x200")
    (served / "notes.txt").write_text("not an image")
    (served / "fake.png").write_bytes(b"this is no png")
    server = serve_directory(served)
    yield f"http://127.0.0.1:{server.server_port}", tmp_path / "work"
    server.shutdown()


def test_an_image_becomes_a_camera_clip(files):
    base, work = files
    clip = camera_file_from_image(f"{base}/red.png", work)
    header = clip.read_bytes()[:64]
    assert header.startswith(b"YUV4MPEG2 W640 H360")


@pytest.mark.parametrize(
    ("name", "error"),
    [("notes.txt", "not an image"), ("fake.png", "ffmpeg"), ("missing.png", "answered HTTP 404")],
)
def test_what_is_not_an_image_is_refused(files, name, error):
    base, work = files
    with pytest.raises(CameraImageError, match=error):
        camera_file_from_image(f"{base}/{name}", work)


def test_only_http_urls(tmp_path):
    with pytest.raises(CameraImageError, match="http"):
        camera_file_from_image("file:///etc/passwd", tmp_path)
