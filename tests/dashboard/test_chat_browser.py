"""The chat as a new user tries it: a message typed on the simulator's page shows up live on the
meeting page and in the API; one written on the meeting page is posted by the bot in the meeting;
a screenshot taken from the meeting page is listed there. Real Daphne, Celery worker and Chromium
(the admin's and the bot's)."""

import pytest
from rest_framework.test import APIClient
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.services import api_key_create
from bots.services import bot_create, bot_request_leave
from simulator.models import SimMeeting
from simulator.services import sim_meeting_create
from tests.dashboard.test_browser import css, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_chat_between_the_simulator_page_and_the_meeting_page(browser, asgi_server, bots_worker, user, org):
    scenario = {"lobby": {"policy": "admit", "after_s": 0}, "participants": [{"name": "Alice Smith"}]}
    sim = sim_meeting_create(organization=org, platform="google_meet", scenario=scenario)
    url = f"{asgi_server}/simulator/google_meet/{sim.pk}"
    bot = bot_create(organization=org, meeting_url=url, bot_name="Scribe", transcription={"enabled": False})
    slow = WebDriverWait(browser, 90, poll_frequency=0.25)
    sign_in(browser, asgi_server)
    try:
        browser.get(f"{asgi_server}/dashboard/meetings/{bot.meeting_id}/")
        slow.until(EC.presence_of_element_located((By.CSS_SELECTOR, '.bot-card [data-status="in_call"]')))
        browser.refresh()  # the controls show for a bot in the call
        slow.until(EC.presence_of_element_located((By.ID, "chat-form")))
        browser.execute_script("window.__same_page = true")
        meeting_tab = browser.current_window_handle

        # As the meeting's participant, on the simulator's page.
        browser.switch_to.new_window("tab")
        browser.get(f"{asgi_server}/dashboard/simulator/{sim.pk}/")
        css(browser, '#sim-chat-form input[name="text"]').send_keys("Is the bot listening?")
        css(browser, "#sim-chat-form button").click()
        slow.until(EC.text_to_be_present_in_element((By.ID, "sim-chat"), "Is the bot listening?"))

        browser.switch_to.window(meeting_tab)
        slow.until(EC.text_to_be_present_in_element((By.ID, "chat-messages"), "Is the bot listening?"))
        assert "Alice Smith" in css(browser, "#chat-messages").text

        # The admin answers from the meeting page; the bot posts it in the meeting.
        css(browser, '#chat-form input[name="text"]').send_keys("Yes, taking notes.")
        css(browser, "#chat-form button").click()
        slow.until(EC.text_to_be_present_in_element((By.ID, "chat-messages"), "Yes, taking notes."))
        assert css(browser, "#chat-messages li.from-bot").text.startswith("Scribe")

        css(browser, "#screenshot-form button").click()
        slow.until(EC.text_to_be_present_in_element((By.ID, "chat-form-state"), "Screenshot taken."))
        assert browser.find_elements(By.CSS_SELECTOR, "#screenshot-list a.screenshot-link")
        assert browser.execute_script("return window.__same_page") is True  # all of it without a reload
    finally:
        bot_request_leave(bot=bot)

    texts = [m["text"] for m in SimMeeting.objects.get(pk=sim.pk).chat]
    assert texts == ["Is the bot listening?", "Yes, taking notes."]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_create(organization=org).key}")
    listed = api.get(f"/api/v1/meetings/{bot.meeting_id}/chat").json()["messages"]
    assert [(m["sender"], m["text"], m["from_bot"]) for m in listed] == [
        ("Alice Smith", "Is the bot listening?", False),
        ("Scribe", "Yes, taking notes.", True),
    ]
