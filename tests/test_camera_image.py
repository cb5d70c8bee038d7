import functools
import http.server
import subprocess
import threading

import pytest

from bots.browser import CameraImageError, camera_file_from_image


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def files(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "color=c=red:s=320x200",
            "-frames:v",
            "1",
            str(served / "red.png"),
        ],
        check=True,
    )
    (served / "notes.txt").write_text("not an image")
    (served / "fake.png").write_bytes(b"this is no png")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(served)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
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
