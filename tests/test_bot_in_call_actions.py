"""A bot in a simulated meeting, in a real Chromium, on each platform: the chat both ways (a
participant's message read while the bot's chat panel is still closed, then a message sent through
the API; on Zoom and Webex also private messages, to the bot and from it to one participant), a
picture sent to its camera in the call and the camera turned off,
and screenshots on demand and every few seconds."""

import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.services import api_key_create
from bots.screenshots import bot_screenshots
from bots.services import bot_request_leave
from meetings.models import ChatMessage, MeetingEvent, Participant
from simulator.chat import PRIVATE_CHAT_PLATFORMS, sim_participant_chat
from simulator.selectors import sim_meeting_view
from tests.test_bots_in_simulator import READY, seen, sim_bot  # noqa: F401 (a fixture)
from tests.test_session import start, status_of, wait_for

pytestmark = [pytest.mark.browser]

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def picture(tmp_path_factory) -> bytes:
    """Half orange, half blue: a picture the meeting page tells from a flat frame by its mean colour."""
    path = tmp_path_factory.mktemp("camera") / "picture.png"
    graph = "color=c=0xFF8000:s=320x360[a];color=c=0x0040FF:s=320x360[b];[a][b]hstack"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-filter_complex", graph, "-frames:v", "1", str(path)], check=True)
    return path.read_bytes()


@pytest.mark.parametrize("platform", READY)
def test_chat_camera_and_screenshots(sim_bot, media, picture, platform):  # noqa: F811
    private = platform in PRIVATE_CHAT_PLATFORMS
    people = [{"name": "Alice Smith", "voice": "en-us"}] + (
        [{"name": "Bob Jones", "voice": "en-gb"}] if private else []
    )
    meeting, bot = sim_bot(platform, {"lobby": {"policy": "admit", "after_s": 0}, "participants": people})
    bot.settings["screenshots"] = {"interval_s": 5}
    bot.save(update_fields=["settings"])
    key = api_key_create(organization=bot.organization, name="chat test").key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    thread = start(bot)
    wait_for(lambda: status_of(bot) == "in_call", timeout=60)
    sim_participant_chat(meeting=meeting, participant="Alice Smith", text="Can you send the slides?")
    # Nothing opened the chat panel yet: the message is read from the closed panel's list.
    assert wait_for(lambda: ChatMessage.objects.filter(meeting=bot.meeting).exists(), timeout=15)
    if private:
        # Alice writes to the bot only; then the bot answers her only, picking her in the chat's chooser
        # (by her participant id), and writes to everyone again after.
        sim_participant_chat(meeting=meeting, participant="Alice Smith", text="Only for the bot", to=bot.bot_name)
        alice_row = wait_for(lambda: Participant.objects.filter(meeting=bot.meeting, name="Alice Smith").first())
        response = api.post(
            f"/api/v1/bots/{bot.id}/chat", {"text": "Just you, Alice.", "to": alice_row.id}, format="json"
        )
        assert response.status_code == 202, response.content
    response = api.post(f"/api/v1/bots/{bot.id}/chat", {"text": "Slides follow by email."}, format="json")
    assert response.status_code == 202, response.content
    assert api.post(f"/api/v1/bots/{bot.id}/screenshot").status_code == 202
    upload = SimpleUploadedFile("picture.png", picture, content_type="image/png")
    assert api.post(f"/api/v1/bots/{bot.id}/camera", {"image": upload}, format="multipart").status_code == 202
    expected = ["Can you send the slides?"] + (["Only for the bot", "Just you, Alice."] if private else [])
    expected.append("Slides follow by email.")
    wait_for(lambda: ChatMessage.objects.filter(meeting=bot.meeting).count() >= len(expected), timeout=20)
    camera = wait_for(lambda: (seen(meeting).bot_camera or {}).get("has_image") and seen(meeting), timeout=20)
    assert camera and camera.bot_camera_on, seen(meeting).bot_camera
    red, green, blue = camera.bot_camera["mean_rgb"]
    assert 100 < red < 150 and 70 < green < 120 and 100 < blue < 150, camera.bot_camera
    assert api.post(f"/api/v1/bots/{bot.id}/camera", {"image_url": None}, format="json").status_code == 202
    assert wait_for(lambda: not seen(meeting).bot_camera_on, timeout=15)
    wait_for(lambda: {s.trigger for s in bot_screenshots(bot=bot)} == {"on_demand", "periodic"}, timeout=15)
    bot_request_leave(bot=bot)
    thread.join(60)

    messages = list(ChatMessage.objects.filter(meeting=bot.meeting).order_by("sent_at", "id"))
    by_text = {m.text: m for m in messages}
    assert list(by_text) == expected
    alice = by_text["Can you send the slides?"]
    assert (alice.sender, alice.from_bot, alice.participant.name) == ("Alice Smith", False, "Alice Smith")
    assert by_text["Slides follow by email."].from_bot and by_text["Slides follow by email."].participant is None
    assert by_text["Slides follow by email."].to is None and alice.to is None
    # What the meeting itself received from the bot.
    from_bot = [m for m in seen(meeting).chat if m["sender"] == bot.bot_name]
    assert [m["text"] for m in from_bot] == expected[len(expected) - len(from_bot) :]
    if private:
        to_bot, to_alice = by_text["Only for the bot"], by_text["Just you, Alice."]
        assert (to_bot.to, to_bot.to_participant, to_bot.participant_id) == (bot.bot_name, None, alice.participant_id)
        assert to_alice.from_bot and (to_alice.to, to_alice.to_participant_id) == ("Alice Smith", alice.participant_id)
        assert [m.get("to_name") for m in from_bot] == ["Alice Smith", None]
        # Each participant's own chat list in the meeting: Bob sees neither private message.
        seen_by = sim_meeting_view(meeting=seen(meeting))["chat_seen_by"]
        assert seen_by["Alice Smith"] == expected
        assert seen_by["Bob Jones"] == ["Can you send the slides?", "Slides follow by email."]
    events = MeetingEvent.objects.filter(meeting=bot.meeting, type="chat.message").order_by("sequence")
    assert [e.payload["text"] for e in events] == [m.text for m in messages]
    assert events.get(payload__text="Can you send the slides?").payload["participant_id"] == alice.participant_id

    listed = api.get(f"/api/v1/meetings/{bot.meeting_id}/chat").json()["messages"]
    assert [(m["text"], m["to"]) for m in listed] == [(m.text, m.to) for m in messages]
    assert [e.payload["to"] for e in events] == [m.to for m in messages]

    shots = api.get(f"/api/v1/bots/{bot.id}/screenshots").json()["screenshots"]
    assert {"on_demand", "periodic"} <= {s["trigger"] for s in shots}
    for shot in shots:
        opened = APIClient().get(shot["url"].replace("http://testserver", ""))
        assert opened.status_code == 200 and b"".join(opened.streaming_content).startswith(PNG)
    assert all((Path(media) / s.path).stat().st_size > 1000 for s in bot_screenshots(bot=bot))
