"""A bot with `recording.per_participant` in a simulated call where two people speak in turn: beside
the mix, one file per participant, named after them, each holding that participant's voice where they
spoke and silence where the other did; `delete_data` takes the files with the rest."""

from pathlib import Path

import numpy as np
import pytest

from bots.services import bot_request_leave
from meetings.models import MeetingEvent, ParticipantEvent
from meetings.transcription.audio import SAMPLE_RATE, decode
from simulator import services as sim
from simulator.doors import door_links
from tests.factories import BotFactory, MeetingFactory
from tests.test_session import start, status_of, wait_for

pytestmark = [pytest.mark.browser]

SCRIPT = [
    (1.0, "Alice Smith", "Good morning everyone, the budget is ready for the board."),
    (6.0, "Bob Jones", "Thank you Alice, the sales were very good this quarter."),
    (11.0, "Alice Smith", "Please send me the report before Friday afternoon."),
    (16.0, "Bob Jones", "The office moves to a bigger building in June."),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _speech(meeting, name: str) -> list[tuple[int, int]]:
    """(start_ms, stop_ms) of each time the participant's speaking indicator was on."""
    events = ParticipantEvent.objects.filter(
        meeting=meeting, participant__name=name, kind__in=["speech_start", "speech_stop"]
    ).order_by("offset_ms", "id")
    spans, since = [], None
    for event in events:
        if event.kind == "speech_start" and since is None:
            since = event.offset_ms
        elif event.kind == "speech_stop" and since is not None:
            spans.append((since, event.offset_ms))
            since = None
    return spans


def _rms(audio: np.ndarray, spans: list[tuple[int, int]]) -> float:
    pieces = [audio[start * SAMPLE_RATE // 1000 : stop * SAMPLE_RATE // 1000] for start, stop in spans]
    joined = np.concatenate(pieces) if pieces else np.zeros(1, dtype=np.float32)
    return float(np.sqrt(np.mean(np.square(joined)))) if joined.size else 0.0


def test_each_participant_gets_a_file_of_their_own_voice(transactional_db, live_server, media, api):
    scenario = {
        "lobby": {"policy": "admit", "after_s": 0.5},
        "participants": [{"name": "Alice Smith", "voice": "en-us"}, {"name": "Bob Jones", "voice": "en-gb"}],
        "script": [{"at_s": at, "speaker": who, "text": text} for at, who, text in SCRIPT],
    }
    simulated = sim.sim_meeting_create(organization=api.organization, platform="zoom", scenario=scenario)
    url = door_links(simulated, live_server.url)["meeting"]
    meeting = MeetingFactory(organization=api.organization, meeting_url=url, platform="zoom", title="Tracks")
    bot = BotFactory(meeting=meeting)
    bot.settings["recording"]["per_participant"] = True
    bot.save(update_fields=["settings"])
    thread = start(bot)
    wait_for(lambda: status_of(bot) == "in_call", timeout=60)
    # Both of Bob's lines said and heard: his second indicator has gone off.
    wait_for(lambda: len(_speech(meeting, "Bob Jones")) >= 2, 90)
    bot_request_leave(bot=bot)
    thread.join(90)
    wait_for(lambda: status_of(bot) == "ended", 60)

    listed = api.get(f"/api/v1/meetings/{meeting.id}/recording").json()["recordings"]
    own = {r["speaker"]: r for r in listed if r["source"] == "participant"}
    assert set(own) == {"Alice Smith", "Bob Jones"}, listed
    mixed = [r for r in listed if r["source"] == "mixed"]
    assert {r["format"] for r in mixed} == {"flac", "mp3"}, listed
    names = dict(meeting.participants.values_list("name", "id"))
    ready = [e.payload for e in MeetingEvent.objects.filter(meeting=meeting, type="recording.ready")]
    assert {(p["speaker"], p["participant_id"]) for p in ready if p["source"] == "participant"} == {
        ("Alice Smith", names["Alice Smith"]),
        ("Bob Jones", names["Bob Jones"]),
    }

    spans = {name: _speech(meeting, name) for name in own}
    assert all(len(s) >= 2 for s in spans.values()), spans
    files = []
    for name, recording in own.items():
        assert recording["participant_id"] == names[name]
        assert recording["duration_ms"] == mixed[0]["duration_ms"]
        row = meeting.recordings.get(pk=recording["id"])
        path = Path(media) / row.file.name
        files.append(path)
        audio = decode(path)
        other = "Bob Jones" if name == "Alice Smith" else "Alice Smith"
        loud, quiet = _rms(audio, spans[name]), _rms(audio, spans[other])
        # Their own voice where their indicator was on; (next to) silence where only the other spoke.
        assert loud > 0.01 and quiet < loud / 10, (name, loud, quiet)

    answer = api.post(f"/api/v1/bots/{bot.id}/delete_data")
    assert answer.status_code == 200 and answer.json()["status"] == "deleted", answer.content
    assert not any(path.exists() for path in files)
    assert not (Path(media) / "recordings" / meeting.id).exists()
    assert api.get(f"/api/v1/meetings/{meeting.id}/recording").json()["recordings"] == []
