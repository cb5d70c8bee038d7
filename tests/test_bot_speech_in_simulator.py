"""A whole bot in a simulated meeting, on every platform, in a real Chromium: it pauses and resumes its
recording while a participant talks, then speaks through its microphone. The participants hear it (the
simulator's copy of what the bot sent, transcribed by Whisper); the paused line is in neither the
transcript nor the recording, whose gaps list the pause; the bot's own voice is only where asked."""

import time
from pathlib import Path

import pytest

from bots.models import Bot
from bots.pause import bot_pause_recording, bot_resume_recording
from bots.platforms.registry import PLATFORMS
from bots.recording import media_duration_ms
from bots.services import bot_request_leave
from bots.speech import bot_speak, bot_stop_speaking
from meetings.models import MeetingEvent, ParticipantEvent
from meetings.transcription.base import pcm16_to_float
from meetings.transcription.metrics import wer
from meetings.transcription.registry import backend_get, options_from_settings
from simulator import services as sim
from simulator.heard import heard_pcm
from tests.factories import BotFactory, MeetingFactory
from tests.test_session import start, status_of, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.asr, pytest.mark.slow]

BEFORE = "Good morning everyone, the budget looks fine."
PAUSED = "The secret password is banana."
AFTER = "Thank you all, see you next week."
CUT = "Now let me read the whole agenda, item by item, from the top to the very end of the list."
SAID = "Hello everyone, this is the meeting assistant speaking. I will take notes for this meeting."


def events(meeting, type: str) -> list[dict]:
    return list(MeetingEvent.objects.filter(meeting=meeting, type=type).values_list("payload", flat=True))


def said(meeting, word: str) -> bool:
    return any(word in p["text"].lower() for p in events(meeting, "segment.finalized"))


def lines_spoken(meeting) -> int:
    return ParticipantEvent.objects.filter(participant__meeting=meeting, kind="speech_stop").count()


def recording_state(bot) -> str:
    return Bot.objects.values_list("recording_state", flat=True).get(pk=bot.pk)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_pause_resume_and_speak(transactional_db, live_server, media, api, platform):
    scenario = {"lobby": {"policy": "admit", "after_s": 0.5}, "participants": [{"name": "Alice Smith"}]}
    simulated = sim.sim_meeting_create(organization=api.organization, platform=platform, scenario=scenario)
    url = f"{live_server.url}/simulator/{platform}/{simulated.pk}"
    meeting = MeetingFactory(organization=api.organization, meeting_url=url, platform=platform)
    bot = BotFactory(meeting=meeting)
    if platform == "teams":  # one platform records its screen too: the pause cuts the video as well
        bot.settings["recording"]["mode"] = "speaker_view"
    # One asks for the bot's own voice in its recording and transcript; the others keep it out.
    own_voice = bot.settings["recording"]["include_bot_voice"] = platform == "webex"
    bot.save()
    thread = start(bot, transcribe=True)
    wait_for(lambda: status_of(bot) == "in_call", timeout=60)

    sim.sim_meeting_say(meeting=simulated, participant="Alice Smith", text=BEFORE)
    wait_for(lambda: said(meeting, "morning"), timeout=30)
    bot_pause_recording(bot=bot)
    wait_for(lambda: recording_state(bot) == "paused", timeout=10)
    sim.sim_meeting_say(meeting=simulated, participant="Alice Smith", text=PAUSED)
    wait_for(lambda: lines_spoken(meeting) == 2, timeout=20)
    bot_resume_recording(bot=bot)
    wait_for(lambda: recording_state(bot) == "recording", timeout=10)
    bot_speak(bot=bot, text=SAID)
    bot_speak(bot=bot, text=CUT)  # queued behind the first; stopped a moment after it starts
    wait_for(lambda: len(events(meeting, "bot.speech_started")) == 2, timeout=30)
    time.sleep(0.5)
    bot_stop_speaking(bot=bot)
    wait_for(lambda: len(events(meeting, "bot.speech_finished")) == 2, timeout=10)
    sim.sim_meeting_say(meeting=simulated, participant="Alice Smith", text=AFTER)
    wait_for(lambda: said(meeting, "week"), timeout=30)
    bot_request_leave(bot=bot)
    thread.join(90)
    bot.refresh_from_db()
    assert bot.status == "ended", bot.end_message

    # The recording state changes are bot events; the speech has its own.
    states = [p["recording_state"] for p in events(meeting, "bot.status_changed") if p["status"] == "in_call"]
    assert states == ["recording", "paused", "recording"]
    started, cut_started = events(meeting, "bot.speech_started")
    finished, cut = events(meeting, "bot.speech_finished")
    assert (started["text"], cut_started["text"]) == (SAID, CUT)  # in the order asked
    assert finished["stopped"] is False and finished["played_ms"] >= started["duration_ms"] - 200
    assert cut["stopped"] is True and cut["played_ms"] < cut_started["duration_ms"] - 2000

    # The participants heard the bot.
    heard = pcm16_to_float(heard_pcm(simulated))
    result = backend_get(options_from_settings({})).transcribe(heard, language="en")
    words = " ".join(piece.text for piece in result.pieces).lower()
    # Under load the browsers' audio threads may skip a few milliseconds: a word may go, not the speech.
    # What follows it is the start of the sentence that was cut.
    assert wer(SAID, " ".join(words.split()[: len(SAID.split())])) <= 0.25, words
    assert "end of the list" not in words, words

    # The paused line is not in the transcript; the bot's own voice only where asked.
    text = " ".join(p["text"] for p in events(meeting, "segment.finalized")).lower()
    assert "morning" in text and "week" in text, text
    assert "banana" not in text and "password" not in text, text
    assert ("assistant" in text) is own_voice, text

    # The files hold the recorded time; their gaps say where the pause was.
    recordings = list(meeting.recordings.all())
    assert {r.format for r in recordings} >= {"flac", "mp3"}
    for recording in recordings:
        (gap,) = recording.gaps
        assert gap["paused_ms"] > 2000 and 0 < gap["offset_ms"] < recording.duration_ms
        assert abs(media_duration_ms(Path(media) / recording.file.name) - recording.duration_ms) < 1000
    in_call_ms = (bot.ended_at - bot.joined_at).total_seconds() * 1000
    assert recordings[0].duration_ms < in_call_ms - gap["paused_ms"] + 500
    if platform == "teams":
        assert any(r.kind == "video" for r in recordings)
