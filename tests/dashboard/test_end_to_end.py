"""The whole path as an admin lives it: sign in, send a bot from the form into a simulated meeting,
watch the words appear under the speakers' names and the participant list change without a reload,
press "Leave now", download the transcript. Real Daphne, Celery worker, Chromium (the admin's and the
bot's), espeak-ng voices over WebRTC, and Whisper tiny.en."""

import re
import time
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from bots.models import Bot
from simulator.services import sim_meeting_create
from tests.dashboard.test_browser import css, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.asr, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCENARIO = {
    "title": "Release planning",
    "lobby": {"policy": "admit", "after_s": 1},
    "captions": True,
    "participants": [
        {"name": "Alice Smith", "voice": "en-us", "joins_at_s": 0, "leaves_at_s": None},
        {"name": "Bob Jones", "voice": "en-gb", "joins_at_s": 0, "leaves_at_s": 9},
        {"name": "Carol White", "voice": "en-us+f3", "joins_at_s": 10, "leaves_at_s": None},
    ],
    "script": [
        {"at_s": 2, "speaker": "Alice Smith", "text": "Good morning everyone. The release is ready for testing."},
        {"at_s": 6, "speaker": "Bob Jones", "text": "Thank you. I will write the release notes today."},
        {"at_s": 12, "speaker": "Carol White", "text": "Hello, sorry I am late. I can check the database."},
    ],
    "ends_at_s": None,
}


ALICE = {"morning", "everyone", "release", "ready", "testing"}
CAROL = {"hello", "sorry", "late", "check", "database"}


def said(lines, speaker: str, words: set[str]) -> bool:
    """Some of the line's words were heard under the speaker's name (Whisper may mishear one or two)."""
    return any(who == speaker and words & set(re.findall(r"[a-z]+", text.lower())) for who, text in lines)


def caption_lines(browser) -> list[tuple[str, str]]:
    """(speaker, text) of every caption on screen, partial or final."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#captions .utterance')).map(function (u) {"
        " return [u.querySelector('.who').firstChild.textContent.trim(), u.querySelector('.text').textContent]; });"
    )


def test_send_a_bot_watch_live_captions_leave_and_download(browser, asgi_server, bots_worker, user, org, shoot):
    sim = sim_meeting_create(organization=org, platform="google_meet", scenario=SCENARIO)
    meeting_url = f"{asgi_server}/simulator/google_meet/{sim.pk}"
    sign_in(browser, asgi_server)
    css(browser, '[data-open="send-bot"]').click()
    css(browser, "#id_meeting_url").send_keys(meeting_url)
    css(browser, "#id_bot_name").send_keys("Scribe")
    css(browser, "#send-bot-submit").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/dashboard/meetings/"))
    bot = Bot.objects.get(organization=org)
    assert bot.meeting_url == meeting_url
    browser.execute_script("window.__same_page = true")
    # The leave button posts a form: a poll that lands while the page is replaced reads a node of the
    # old document, which Chromium reports as a plain WebDriverException; the next poll reads the new one.
    slow = WebDriverWait(browser, 120, poll_frequency=0.25, ignored_exceptions=(WebDriverException,))

    try:
        slow.until(EC.presence_of_element_located((By.CSS_SELECTOR, '.bot-card [data-status="in_call"]')))
        # Words appear under the speaker's name while the meeting runs.
        slow.until(lambda b: said(caption_lines(b), "Alice Smith", ALICE))
        slow.until(EC.text_to_be_present_in_element((By.ID, "participants"), "Bob Jones"))
        # Bob leaves at 9 s and Carol joins at 10 s: the list follows.
        slow.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#participants li.left[data-name="Bob Jones"]')))
        slow.until(EC.text_to_be_present_in_element((By.ID, "participants"), "Carol White"))
        slow.until(lambda b: said(caption_lines(b), "Carol White", CAROL))
        shoot("meeting-live-e2e")
        assert browser.execute_script("return window.__same_page") is True  # all of it without a reload

        css(browser, ".leave-button").click()
        slow.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "was asked to leave"))
        slow.until(EC.presence_of_element_located((By.CSS_SELECTOR, '.bot-card [data-status="ended"]')))
    except Exception:
        print("captions on screen:", caption_lines(browser))
        print(Path(bots_worker).read_text()[-6000:])
        raise
    bot.refresh_from_db()
    assert (bot.status, bot.end_reason) == ("ended", "left_by_request")
    # The finished meeting: transcript, player, downloads.
    slow.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#transcript [data-segment-id]")))
    slow.until(EC.invisibility_of_element_located((By.ID, "captions-card")))  # the transcript takes over
    slow.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#fragment-media audio")))
    shoot("meeting-ended-e2e")
    css(browser, '#downloads a[data-format="txt"]').click()
    path = Path(browser.download_dir) / f"{bot.meeting_id}.txt"
    deadline = time.monotonic() + 15
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    transcript = path.read_text()
    lines = [tuple(m) for m in re.findall(r"\] ([^:]+): (.*)", transcript)]
    assert said(lines, "Alice Smith", ALICE) and said(lines, "Carol White", CAROL), transcript
