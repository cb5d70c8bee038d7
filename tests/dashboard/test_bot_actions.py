"""The meeting page makes a bot in the call speak, and pause and resume its recording (the API's own
services: commands sent to the runner, refusals shown as messages)."""

import pytest

from bots.models import BotEvent, BotStatus
from tests.factories import BotFactory


@pytest.fixture
def bot_in_call(org, media):
    return BotFactory(meeting__organization=org, status=BotStatus.IN_CALL, recording_state="recording")


def commands(bot) -> list[str]:
    return [e.data["command"] for e in BotEvent.objects.filter(bot=bot, event="command").order_by("created_at")]


def test_a_bot_in_the_call_offers_say_and_pause(signed_in, bot_in_call):
    content = signed_in.get(f"/dashboard/meetings/{bot_in_call.meeting_id}/").content.decode()
    assert f"/dashboard/bots/{bot_in_call.id}/say" in content and "Pause recording" in content
    assert "Resume recording" not in content


def test_an_ended_bot_offers_neither(signed_in, org):
    bot = BotFactory(meeting__organization=org, status=BotStatus.ENDED)
    content = signed_in.get(f"/dashboard/meetings/{bot.meeting_id}/").content.decode()
    assert f"/dashboard/bots/{bot.id}/say" not in content and "Pause recording" not in content


def test_say_pause_and_resume_send_commands(signed_in, bot_in_call):
    page = f"/dashboard/meetings/{bot_in_call.meeting_id}/"
    said = signed_in.post(f"/dashboard/bots/{bot_in_call.id}/say", {"text": "Hello from Notula", "next": page})
    assert said.status_code == 302 and said["Location"] == page
    assert signed_in.post(f"/dashboard/bots/{bot_in_call.id}/pause", {"next": page}).status_code == 302
    assert commands(bot_in_call) == ["speak", "pause_recording"]
    # Not paused yet (the runner has not acted): resuming is refused, as a message on the page.
    refused = signed_in.post(f"/dashboard/bots/{bot_in_call.id}/resume", {"next": page}, follow=True)
    assert "not &#x27;paused&#x27;" in refused.content.decode() or "not 'paused'" in refused.content.decode()
    assert commands(bot_in_call) == ["speak", "pause_recording"]


def test_a_paused_bot_offers_resume(signed_in, bot_in_call):
    bot_in_call.recording_state = "paused"
    bot_in_call.save()
    content = signed_in.get(f"/dashboard/meetings/{bot_in_call.meeting_id}/").content.decode()
    assert "Resume recording" in content and "Pause recording" not in content


def test_an_empty_text_or_unknown_voice_is_a_message(signed_in, bot_in_call):
    page = f"/dashboard/meetings/{bot_in_call.meeting_id}/"
    empty = signed_in.post(f"/dashboard/bots/{bot_in_call.id}/say", {"text": " ", "next": page}, follow=True)
    assert "Type what the bot should say" in empty.content.decode()
    voice = signed_in.post(
        f"/dashboard/bots/{bot_in_call.id}/say", {"text": "Hi", "voice": "xx-none", "next": page}, follow=True
    )
    assert "no voice this server has" in voice.content.decode()
    assert commands(bot_in_call) == []


def test_another_organizations_bot_is_not_found(signed_in, other_org, media):
    theirs = BotFactory(meeting__organization=other_org, status=BotStatus.IN_CALL, recording_state="recording")
    for action in ("say", "pause", "resume"):
        assert signed_in.post(f"/dashboard/bots/{theirs.id}/{action}", {"text": "Hi"}).status_code == 404
    assert commands(theirs) == []


def test_the_hosts_view_shows_the_bot_speaking_while_the_participants_hear_it(signed_in, org, media):
    import time
    from array import array

    from simulator.heard import heard_onsets, sim_bot_heard
    from simulator.services import sim_meeting_create

    sim = sim_meeting_create(organization=org, platform="google_meet", scenario={})
    state = f"/dashboard/simulator/{sim.pk}/state"
    silence = bytes(3200)
    sim_bot_heard(meeting=sim, pcm=silence, at_ms=time.time() * 1000)
    assert "sim-bot-speaking" not in signed_in.get(state).content.decode()
    tone = array("h", [8000, -8000] * 1600).tobytes()  # 0.2 s, loud
    now = time.time() * 1000
    sim_bot_heard(meeting=sim, pcm=tone, at_ms=now)
    assert "sim-bot-speaking" in signed_in.get(state).content.decode()
    (onset,) = heard_onsets(sim)
    assert abs(onset - (now - 200)) < 15  # dated at the tone's first sample
