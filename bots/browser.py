"""Headless Debian Chromium driven by Selenium, set up for a meeting bot.

Flags are the ones measured in docs (DESIGN.md): fake media devices answer the permission prompts,
autoplay runs the audio graph without a user gesture, and every browser gets a fresh profile.
"""

import logging
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from bots import capture, microphone
from common import net

log = logging.getLogger(__name__)

WINDOW = (1280, 720)
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_TIMEOUT_S = 10
# Only loopback resolves in tests: a page that reaches out to the internet fails fast and visibly.
TEST_HOST_RULES = "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost"


def accept_language(locale: str) -> str:
    """ "de-DE" -> "de-DE,de"; the bare language too, as browsers send it."""
    language = locale.split("-")[0]
    return locale if language == locale else f"{locale},{language}"


class CameraImageError(Exception):
    """bot_image_url could not be turned into a camera picture."""


def chromium_options(*, user_data_dir: Path, fake_video: Path | None = None) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = settings.CHROMIUM_BINARY
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        "--autoplay-policy=no-user-gesture-required",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--mute-audio",
        # Keep timers and audio running at full rate although no window is ever focused.
        "--disable-background-timer-throttling",
        "--disable-renderer-backgrounding",
        "--disable-backgrounding-occluded-windows",
        # One flag: a second --disable-features would replace this one.
        "--disable-features=LocalNetworkAccessChecks,Translate,MediaRouter,OptimizationHints",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        f"--user-data-dir={user_data_dir}",
        f"--lang={settings.BOT_LOCALE}",
    ):
        options.add_argument(flag)
    # Headless Chromium sends Accept-Language from this preference, not from --lang.
    options.add_experimental_option("prefs", {"intl.accept_languages": accept_language(settings.BOT_LOCALE)})
    if settings.TESTING:
        options.add_argument(f"--host-resolver-rules={TEST_HOST_RULES}")
    if settings.BOT_SECURE_ORIGINS:
        options.add_argument(f"--unsafely-treat-insecure-origin-as-secure={','.join(settings.BOT_SECURE_ORIGINS)}")
    if fake_video is not None:
        options.add_argument(f"--use-file-for-fake-video-capture={fake_video}")
    if settings.CHROMIUM_SINGLE_PROCESS:
        options.add_argument("--single-process")
    return options


@contextmanager
def launch(*, fake_video: Path | None = None):
    """A Chromium with the capture script installed; always quit, profile removed, on the way out."""
    profile = Path(tempfile.mkdtemp(prefix="notula-chromium-"))
    driver = None
    try:
        service = Service(settings.CHROMEDRIVER)
        driver = webdriver.Chrome(
            service=service, options=chromium_options(user_data_dir=profile, fake_video=fake_video)
        )
        driver.set_page_load_timeout(30)
        microphone.install(driver)  # first: the capture script marks the microphone's track as the bot's own
        capture.install(driver)
        yield driver
    finally:
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                log.warning("Chromium did not quit cleanly", exc_info=True)
        shutil.rmtree(profile, ignore_errors=True)


def debug_artefacts(driver) -> tuple[bytes | None, str | None]:
    """A PNG of the page and its HTML, each None when the browser cannot give it any more."""
    png = html = None
    try:
        png = driver.get_screenshot_as_png()
    except Exception:
        log.info("No screenshot: the browser is gone", exc_info=True)
    try:
        html = driver.page_source
    except Exception:
        log.info("No page HTML: the browser is gone", exc_info=True)
    return png, html


def download_image(url: str, dest: Path) -> Path:
    """Fetch bot_image_url through the outbound check, with a size and time limit; only images."""
    try:
        with net.open_url(
            url, subject="bot_image_url", max_bytes=IMAGE_MAX_BYTES, timeout_s=IMAGE_TIMEOUT_S, connect_timeout_s=5
        ) as response:
            if not response.content_type.startswith("image/"):
                raise CameraImageError(
                    f"bot_image_url is not an image (Content-Type {response.content_type or 'missing'})"
                )
            response.save(dest)
    except net.FetchError as exc:
        raise CameraImageError(exc.message) from exc
    return dest


def camera_file_from_image(url: str, workdir: Path) -> Path:
    """Turn bot_image_url into a Y4M clip that Chromium's fake camera plays in a loop."""
    workdir.mkdir(parents=True, exist_ok=True)
    image = download_image(url, workdir / "camera-source")
    target = workdir / "camera.y4m"
    command = [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(image), "-frames:v", "1",
        "-vf", "scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2,format=yuv420p",
        "-f", "yuv4mpegpipe", str(target),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, timeout=30)
    if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise CameraImageError("bot_image_url is not an image ffmpeg can read")
    return target
