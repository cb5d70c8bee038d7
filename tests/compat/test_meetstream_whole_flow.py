"""An integrator's script written with MeetStream's official Python SDK (`meetstream-sdk` 1.0.0, from
PyPI into its own virtualenv, unchanged) drives a bot through a simulated Google Meet meeting where
three people each say one line: create (with an Idempotency-Key), in the meeting, participants, the live
transcript (MeetStream's frames to `live_transcription_required.webhook_url` and `.websocket_url`), the
live audio in MeetStream's framing, the control channel (a chat message sent through it), the realtime
participant events, chat,
pause and resume, remove, the final transcript (202 until ready), and signed callbacks verified with
the SDK's own function. The unofficial `meetstream` 0.1.0 client (its own virtualenv) then reads the
same bot. Daphne, Celery, Chromium and Whisper as in production."""

import json
import subprocess
from pathlib import Path

import pytest

from compat.meetstream.live_audio import parse_audio_frame
from tests.compat.stack import lines_covered, whole_stack
from tests.compat.vendor_venv import vendor_python
from tests.compat.ws_peers import Integrator, Receiver
from tests.conftest import make_client

pytestmark = [pytest.mark.browser, pytest.mark.asr, pytest.mark.slow]
FLOW = Path(__file__).with_name("meetstream_sdk_flow.py")
READER = Path(__file__).with_name("meetstream_unofficial_reader.py")


def test_the_official_meetstream_sdk_runs_a_whole_meeting(transactional_db, media, tmp_path):
    python = vendor_python("meetstream-sdk==1.0.0")
    unofficial = vendor_python("meetstream==0.1.0")
    issued = make_client("Dialect integrators").issued
    audio_socket, transcript_socket = Receiver(), Receiver()
    # The command goes once the three lines are said (they are, in the first 12 s of the call).
    control = Integrator([{"command": "sendmsg", "message": "Hello over the socket"}], delay_s=15)
    with whole_stack(tmp_path) as (base, meeting_link, _):
        run = subprocess.run(
            [str(python), str(FLOW), f"{base}/compat/meetstream/api/v1", issued.key, issued.signing_secret]
            + [meeting_link, audio_socket.url, transcript_socket.url, control.url],
            capture_output=True, text=True, timeout=560,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-4000:]
        seen = json.loads(run.stdout)
        created = seen["created"]
        second = subprocess.run(
            [str(unofficial), str(READER), f"{base}/compat/meetstream", issued.key, created["bot_id"]]
            + [created["transcript_id"]],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert second.returncode == 0, second.stderr[-4000:]
    read = json.loads(second.stdout)

    assert created["bot_id"].startswith("bot_") and created["transcript_id"]
    assert seen["replayed"]["bot_id"] == created["bot_id"], "the Idempotency-Key replays the first create"
    assert seen["in_meeting"] and seen["listed"]
    details = seen["detail"]["bot_details"]
    assert (details["BotID"], details["MeetingLink"]) == (created["bot_id"], meeting_link)
    assert details["custom_attributes"] == {"deal": "42"}
    names = {p["fullName"] for p in seen["participants"] or []}
    assert len(names & {"Alice Smith", "Bob Jones", "Carol White"}) >= 2, seen["participants"]
    assert seen["chats"] and seen["chats"][0]["from_bot"] is True
    assert seen["paused"]["command_id"] and seen["resumed"] and seen["resumed"]["command_id"]
    assert seen["stopped"]

    transcript = seen["transcript"]
    assert seen["transcript_while_in_meeting"] == "not ready", "202 (NotReadyError) until the transcript is ready"
    assert transcript, f"no transcript after {seen['not_ready_answers']} answers 202"
    segments = transcript["segments"]
    assert lines_covered([s["transcript"] for s in segments]) >= 2, segments
    assert len({s["speaker"] for s in segments}) >= 2
    assert seen["wait_for"] == transcript
    assert seen["audio"].get("audio_url"), seen.get("audio_error")

    received = seen["callbacks"]
    assert received and all(c["verified"] for c in received), "every callback verifies with the SDK's function"
    assert all(c["timestamp_header"] for c in received)
    frames = [c["body"] for c in received if c["path"] == "/live"]
    finals = [f for f in frames if f["end_of_turn"]]
    assert lines_covered([f["transcript"] for f in finals]) >= 2 and len({f["speakerName"] for f in finals}) >= 2
    assert all(f["bot_id"] == created["bot_id"] and f["word_is_final"] for f in finals)
    callbacks = [c for c in received if c["path"] == "/meetstream"]
    bodies = [c["body"] for c in callbacks]
    assert all(b["bot_id"] == created["bot_id"] and b["custom_attributes"] == {"deal": "42"} for b in bodies)
    assert all(isinstance(b["status_code"], int) and b["timestamp"] and b["bot_event"] == b["event"] for b in bodies)
    events = [b["event"] for b in bodies]
    assert events.count("bot.stopped") == 1, events
    assert events.index("bot.joining") < events.index("bot.inmeeting") < events.index("bot.stopped")
    assert "transcription.processed" in events and "audio.processed" in events

    # The unofficial client reads the same bot as the SDK saw it.
    assert read["status"]["status"] == "Stopped" and read["details"]["bot_details"]["BotID"] == created["bot_id"]
    assert {p["fullName"] for p in read["participants"]} == {p["fullName"] for p in seen["participants"]}
    assert read["chats"] and read["transcript"] == read["raw_transcript"] == transcript
    # The live audio in MeetStream's framing, labelled with the people speaking.
    sent = audio_socket.all_frames()
    assert json.loads(sent[0])["type"] == "ready" and json.loads(sent[0])["bot_id"] == created["bot_id"]
    chunks = [parse_audio_frame(f) for f in sent if isinstance(f, bytes)]
    assert len(chunks) >= 100 and all(len(pcm) == 9600 for _, _, pcm in chunks), len(chunks)
    assert len({name for _, name, _ in chunks} & {"Alice Smith", "Bob Jones", "Carol White"}) >= 2
    # The transcript frames over the WebSocket, as over the webhook.
    pushed = [json.loads(f) for f in transcript_socket.all_frames()]
    pushed_finals = [f for f in pushed if f["end_of_turn"]]
    assert lines_covered([f["transcript"] for f in pushed_finals]) >= 2
    # The control channel: ready, then the chat message it asked for, acknowledged and in the meeting chat.
    ready, ack = control.answers(2)
    assert ready == {"type": "ready", "bot_id": created["bot_id"]} and ack["type"] == "ack", ack
    assert "Hello over the socket" in [c["message"] for c in seen["all_chats"]]
    people = [c["body"] for c in received if c["path"] == "/people"]
    assert {p["event"] for p in people} >= {"participant_events.join"} and all(p["participant"]["name"] for p in people)
    assert seen["audio_streams"]["audio_streams"] and seen["recording_streams"]["recording_streams"]
    assert [t["revision"] for t in seen["transcriptions"]["transcriptions"]] == [1]
    after = seen["detail_after"]["bot_details"]
    reached = list(after["StatusTimeline"])
    assert reached[0] == "Joining" and reached.index("InMeeting") < reached.index("Stopped"), reached
    assert after["RequestPayload"]["socket_connection_url"] == control.url
    assert read["audio_status"] == 200 and "timeline" in read["timeline"] and "screenshots" in read["screenshots"]
