"""The dashboard's player plays a recording that /media/ serves only to the organization's members."""

import io
import math
import struct
import wave
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from meetings.models import Recording
from tests.dashboard.conftest import server_env
from tests.dashboard.test_browser import sign_in
from tests.factories import BotFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tone_wav(seconds: float = 1.5, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        samples = (int(8000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(int(seconds * rate)))
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return buffer.getvalue()


def test_the_meeting_page_plays_its_recording(browser, asgi_server, user, org):
    bot = BotFactory(meeting__organization=org, meeting__title="Recorded call", status="ended")
    relative = f"recordings/{bot.meeting_id}/audio.wav"
    target = Path(server_env[asgi_server]["NOTULA_MEDIA_ROOT"]) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_tone_wav())
    Recording.objects.create(meeting=bot.meeting, kind="audio", format="wav", file=relative, duration_ms=1500)

    # Outside the dashboard the same path is refused.
    assert requests.get(f"{asgi_server}/media/{relative}", timeout=10).status_code == 401

    sign_in(browser, asgi_server)
    browser.get(f"{asgi_server}/dashboard/meetings/{bot.meeting_id}/")
    duration = WebDriverWait(browser, 20).until(
        lambda b: b.execute_script(
            "const a = document.querySelector('#fragment-media audio');"
            "return a && a.readyState >= 1 && isFinite(a.duration) ? a.duration : null;"
        )
    )
    assert abs(duration - 1.5) < 0.1
    # A click is the user's gesture that lets the page start playback.
    browser.find_element(By.CSS_SELECTOR, "#fragment-media audio").click()
    played = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const a = document.querySelector('#fragment-media audio'); a.muted = true;"
        "a.play().then(() => setTimeout(() => done(a.currentTime), 600)).catch((e) => done(String(e)));"
    )
    assert isinstance(played, float) and played > 0.2, played
