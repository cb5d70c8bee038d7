"""The dashboard in a real headless Chromium against Daphne: sign-in, live badges, live captions,
leave now, downloads, keys and webhooks. Events are published from the test the way the bot runner
and the transcription pipeline publish them."""

import re
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import ApiKey
from bots.models import BotStatus
from bots.states import bot_apply_event
from meetings.events import EventType, publish
from tests.dashboard.conftest import PASSWORD
from tests.factories import BotFactory, ParticipantFactory, SegmentFactory, event_data

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def wait(browser, seconds: float = 20):
    return WebDriverWait(browser, seconds)


def css(browser, selector: str):
    return browser.find_element(By.CSS_SELECTOR, selector)


def wait_css(browser, selector: str, seconds: float = 20):
    return WebDriverWait(browser, seconds).until(EC.presence_of_element_located((By.CSS_SELECTOR, selector)))


def sign_in(browser, base_url: str, username: str = "alice", password: str = PASSWORD) -> None:
    browser.get(f"{base_url}/dashboard/login/")
    css(browser, "#id_username").send_keys(username)
    css(browser, "#id_password").send_keys(password)
    css(browser, "#login-form button[type=submit]").click()
    wait(browser).until(EC.url_to_be(f"{base_url}/dashboard/bots/"))


def wait_live(browser) -> None:
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "captions-state"), "live"))


def test_sign_in_and_see_the_empty_bots_page(browser, asgi_server, user, shoot):
    browser.get(f"{asgi_server}/dashboard/bots/")
    assert "/dashboard/login/" in browser.current_url
    shoot("sign-in", 900, 700)
    css(browser, "#id_username").send_keys("alice")
    css(browser, "#id_password").send_keys("wrong")
    css(browser, "#login-form button[type=submit]").click()
    assert "correct username and password" in wait_css(browser, ".form-error").text
    sign_in(browser, asgi_server)
    assert "No bots yet" in wait_css(browser, "#bots-empty").text
    # The stylesheet is served by the app itself.
    assert browser.execute_script("return getComputedStyle(document.querySelector('.topbar')).position") == "sticky"


def test_bot_badges_change_live(browser, asgi_server, user, org, shoot):
    bot = BotFactory(meeting__organization=org, bot_name="Standup notes", status=BotStatus.QUEUED)
    BotFactory(
        meeting__organization=org,
        meeting__platform="zoom",
        meeting__meeting_url="https://zoom.us/j/123456789",
        bot_name="Sales call",
        status=BotStatus.ENDED,
        end_reason="everyone_left",
    )
    sign_in(browser, asgi_server)
    row = f'tr[data-bot-id="{bot.id}"]'
    assert css(browser, f"{row} [data-status]").get_attribute("data-status") == "queued"
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, 'html[data-socket="open"]')))
    bot_apply_event(bot, "join_started")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, f'{row} [data-status="joining"]')))
    bot_apply_event(bot, "admitted")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, f'{row} [data-status="in_call"]')))
    ticking = css(browser, f"{row} [data-duration] .ticking")
    assert ticking.get_attribute("data-since")
    shoot("bots")
    shoot("bots-phone", 390, 844)
    bot_apply_event(bot, "leave_started", end_reason="left_by_request")
    wait(browser).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, f"{row} [data-end-reason]"), "left_by_request")
    )
    # A bot sent from elsewhere shows up when it starts moving.
    newcomer = BotFactory(meeting__organization=org, bot_name="Sent by the API", status=BotStatus.QUEUED)
    bot_apply_event(newcomer, "join_started")
    wait(browser).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, f'tr[data-bot-id="{newcomer.id}"] [data-status="joining"]'))
    )
    # Filters are plain links: the ended bot only.
    css(browser, 'input[name="status"][value="ended"]').click()
    wait(browser).until(EC.url_contains("status=ended"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#bots-table tbody tr")) == 1


def test_send_a_bot_from_the_form(browser, asgi_server, user, org):
    sign_in(browser, asgi_server)
    css(browser, '[data-open="send-bot"]').click()
    url_field = css(browser, "#id_meeting_url")
    url_field.send_keys("https://example.com/not-a-meeting")
    css(browser, "#send-bot-submit").click()
    error = wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-error-for="meeting_url"]')))
    assert error.text  # the API's own message, checked word for word in test_views
    css(browser, "#id_meeting_url").clear()
    css(browser, "#id_meeting_url").send_keys("https://meet.google.com/abc-defg-hij")
    css(browser, "#id_bot_name").send_keys("Scribe")
    css(browser, '#id_when input[value="later"], input[name="when"][value="later"]').click()
    picker = css(browser, "#id_join_at_local")
    assert picker.is_displayed()
    browser.execute_script("arguments[0].value = '2099-06-01T09:30'", picker)
    css(browser, "#send-bot-submit").click()
    wait(browser).until(EC.url_contains("/dashboard/meetings/"))
    bot = org.bots.get()
    assert bot.bot_name == "Scribe" and bot.status == BotStatus.SCHEDULED
    # The picker's wall-clock time is the browser's local time, sent as an instant.
    offset_min = browser.execute_script("return new Date('2099-06-01T09:30').getTimezoneOffset()")
    assert (bot.join_at.hour * 60 + bot.join_at.minute) == (9 * 60 + 30 + offset_min) % (24 * 60)


def test_meeting_page_shows_captions_and_participants_live(browser, asgi_server, user, org):
    bot = BotFactory(meeting__organization=org, meeting__title="Weekly planning", status=BotStatus.IN_CALL)
    meeting = bot.meeting
    # Said before the page was opened: the replay from the log shows it.
    publish(
        meeting,
        EventType.PARTICIPANT_JOINED,
        event_data(EventType.PARTICIPANT_JOINED, participant_id="p1", name="Alice Smith"),
    )
    publish(
        meeting,
        EventType.SEGMENT_FINALIZED,
        event_data(
            EventType.SEGMENT_FINALIZED,
            id="seg_a",
            utterance_id=None,
            participant_id="p1",
            speaker="Alice Smith",
            text="Good morning everyone.",
            start_ms=1200,
            end_ms=2900,
        ),
    )
    sign_in(browser, asgi_server)
    browser.get(f"{asgi_server}/dashboard/meetings/{meeting.id}/")
    wait_live(browser)
    first = css(browser, '#captions [data-segment-id="seg_a"]')
    assert "Alice Smith" in first.text and "Good morning everyone." in first.text
    assert "Alice Smith" in css(browser, "#participants").text

    publish(
        meeting,
        EventType.PARTICIPANT_JOINED,
        event_data(EventType.PARTICIPANT_JOINED, participant_id="p2", name="Bob Jones"),
    )
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "participants"), "Bob Jones"))

    def bob_says(so_far: str) -> None:
        caption = {"utterance_id": "u-b1", "participant_id": "p2", "speaker": "Bob Jones", "start_ms": 3500}
        publish(meeting, EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, **caption, text=so_far))

    bob_says("Morning, the")
    partial = wait(browser).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, '#captions .utterance.partial[data-key="u-b1"]'))
    )
    assert "Morning, the" in partial.text and "Bob Jones" in partial.text
    bob_says("Morning, the numbers")
    wait(browser).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, '.utterance[data-key="u-b1"]'), "the numbers")
    )
    publish(
        meeting,
        EventType.SEGMENT_FINALIZED,
        event_data(
            EventType.SEGMENT_FINALIZED,
            id="seg_b",
            utterance_id="u-b1",
            participant_id="p2",
            speaker="Bob Jones",
            text="Morning, the numbers are in.",
            start_ms=3500,
            end_ms=5600,
        ),
    )
    final = wait(browser).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, '#captions [data-segment-id="seg_b"]'))
    )
    assert "Morning, the numbers are in." in final.text
    # Replaced in place: one block for Bob, no partial left behind.
    assert len(browser.find_elements(By.CSS_SELECTOR, '#captions .utterance[data-key="u-b1"]')) == 1
    assert not browser.find_elements(By.CSS_SELECTOR, "#captions .utterance.partial")
    # No utterance id (as from a platform without one): the caption is keyed by its participant.
    publish(
        meeting,
        EventType.CAPTION_PARTIAL,
        event_data(
            EventType.CAPTION_PARTIAL,
            utterance_id="",
            participant_id="p1",
            speaker="Alice Smith",
            text="Great, let's",
            start_ms=6000,
        ),
    )
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, '.utterance.partial[data-key="p1"]')))

    publish(
        meeting,
        EventType.PARTICIPANT_LEFT,
        event_data(EventType.PARTICIPANT_LEFT, participant_id="p2", name="Bob Jones"),
    )
    wait(browser).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, '#participants li.left[data-participant-id="p2"]'))
    )
    assert "1 in the call" in css(browser, "#participant-count").text

    # The page never reloaded: the marker set on load is still there.
    browser.execute_script("window.__same_page = true")
    publish(
        meeting,
        EventType.COACH_INSIGHT,
        event_data(EventType.COACH_INSIGHT, category="long_silence", message="Bob has not spoken for 5 minutes."),
    )
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "fragment-transcript"), "Bob has not spoken"))
    assert browser.execute_script("return window.__same_page") is True


def test_leave_now_then_the_meeting_ends_and_the_transcript_downloads(browser, asgi_server, user, org):
    bot = BotFactory(meeting__organization=org, meeting__title="Design review", status=BotStatus.IN_CALL)
    meeting = bot.meeting
    ParticipantFactory(meeting=meeting, name="Alice Smith")
    sign_in(browser, asgi_server)
    browser.get(f"{asgi_server}/dashboard/meetings/{meeting.id}/")
    wait_live(browser)
    css(browser, ".leave-button").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "was asked to leave"))
    bot.refresh_from_db()
    assert bot.leave_requested_at is not None
    assert not css(browser, ".leave-button").is_enabled()
    wait_live(browser)

    # What the runner does next, seen live on the page.
    bot_apply_event(bot, "leave_started", end_reason="left_by_request")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, '.bot-card [data-status="leaving"]')))
    bot_apply_event(bot, "left")
    SegmentFactory(meeting=meeting, speaker="Alice Smith", text="Let's ship it on Friday.", start_ms=1000)
    bot_apply_event(bot, "ended")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, '.bot-card [data-status="ended"]')))
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "fragment-transcript"), "Let's ship it on Friday."))
    assert not browser.find_elements(By.CSS_SELECTOR, ".leave-form")
    statuses = [
        el.get_attribute("data-status") for el in browser.find_elements(By.CSS_SELECTOR, "#timeline [data-status]")
    ]
    assert statuses[-3:] == ["leaving", "post_processing", "ended"]

    css(browser, '#downloads a[data-format="txt"]').click()
    path = Path(browser.download_dir) / f"{meeting.id}.txt"
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert path.read_text() == "[00:01] Alice Smith: Let's ship it on Friday.\n"


def test_keys_page(browser, asgi_server, user, org, shoot):
    sign_in(browser, asgi_server)
    browser.get(f"{asgi_server}/dashboard/keys/")
    assert "No API keys yet" in css(browser, ".empty").text
    css(browser, "#id_name").send_keys("crm")
    css(browser, "#create-key").click()
    key = wait_css(browser, "#issued-key-value").text
    assert key.startswith("ntl_") and css(browser, "#issued-secret-value").text.startswith("whsec_")
    shoot("keys")
    stored = ApiKey.objects.get(organization=org)
    assert key.startswith(stored.prefix)
    browser.execute_script("window.confirm = function () { return true; }")
    css(browser, ".revoke-button").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "was revoked"))
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert not browser.find_elements(By.ID, "issued-key-value")  # shown once only


def test_webhooks_page(browser, asgi_server, user, org, shoot):
    from webhooks.delivery import stream_run
    from webhooks.receiver import Receiver

    receiver = Receiver().start()
    try:
        sign_in(browser, asgi_server)
        browser.get(f"{asgi_server}/dashboard/webhooks/")
        css(browser, '[data-open="add-endpoint"]').click()
        css(browser, "#id_url").send_keys(receiver.url)
        css(browser, 'input[name="event_types"][value="segment.finalized"]').click()
        css(browser, "#add-endpoint-submit").click()
        assert wait_css(browser, "#endpoint-secret").text.startswith("whsec_")
        endpoint = org.webhook_endpoints.get()
        assert endpoint.event_types == ["segment.finalized"]

        # Deliveries as the webhook worker makes them: one accepted, one refused by the receiver.
        meeting = BotFactory(meeting__organization=org, status=BotStatus.IN_CALL).meeting
        publish(
            meeting,
            EventType.PARTICIPANT_JOINED,
            event_data(EventType.PARTICIPANT_JOINED, participant_id="p1", name="Alice Smith"),
        )  # not subscribed
        publish(
            meeting,
            EventType.SEGMENT_FINALIZED,
            event_data(EventType.SEGMENT_FINALIZED, id="seg_1", speaker="Alice Smith", text="Hello."),
        )
        stream_run(endpoint_id=endpoint.id, meeting_id=meeting.id)
        receiver.mode = "error"
        publish(
            meeting,
            EventType.SEGMENT_FINALIZED,
            event_data(EventType.SEGMENT_FINALIZED, id="seg_2", speaker="Alice Smith", text="Again."),
        )
        stream_run(endpoint_id=endpoint.id, meeting_id=meeting.id)
        browser.get(f"{asgi_server}/dashboard/webhooks/")
        rows = browser.find_elements(By.CSS_SELECTOR, "#deliveries-table tr[data-delivery-id]")
        cells = [[td.text for td in row.find_elements(By.TAG_NAME, "td")[:5]] for row in rows]
        assert [(c[0], c[2], c[3]) for c in cells] == [
            ("segment.finalized", "pending", "500"),
            ("segment.finalized", "delivered", "200"),
        ]
        assert all(re.fullmatch(r"\d+ ms", c[4]) for c in cells)
        shoot("webhooks")

        receiver.mode = "ok"
        css(browser, ".test-button").click()
        wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "answered 200 in"))
        css(browser, "tr[data-delivery-id] .redeliver-button").click()
        wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash"), "will be sent again"))
        row = f'tr[data-endpoint-id="{endpoint.id}"]'
        css(browser, f"{row} .toggle-button").click()
        wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, row), "disabled"))
        endpoint.refresh_from_db()
        assert endpoint.active is False
    finally:
        receiver.stop()


def test_simulator_page(browser, asgi_server, user, org, shoot):
    sign_in(browser, asgi_server)
    browser.get(f"{asgi_server}/dashboard/simulator/")
    shoot("simulator")
    card = '[data-scenario="lobby"]'
    css(browser, f'{card} input[name="send_bot"]').click()  # no bot: play the host alone
    css(browser, f"{card} .start-button").click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "sim-state")))
    assert css(browser, "#sim-bot-state").get_attribute("data-state") == "absent"
    css(browser, '#sim-join input[name="name"]').send_keys("Dana Lee")
    css(browser, "#sim-join button").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "sim-people"), "Dana Lee"))
    shoot("simulator-meeting")
    css(browser, "#sim-end").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "sim-status"), "ended"))
    assert org.sim_meetings.get().status == "ended"
