"""MeetStream's live outputs, each against a local WebSocket receiver: the live audio in MeetStream's
binary framing (`live_audio_required`), the transcript frames over a WebSocket
(`live_transcription_required.websocket_url`), and the participant events of
`recording_config.realtime_endpoints`."""

import json
import struct
import time

import pytest
from django.utils import timezone

from bots.models import Bot
from bots.sinks import StreamingSink, audio_sinks_for
from compat.meetstream import live_renderer
from compat.meetstream.live_audio import MeetStreamAudioStreamer, parse_audio_frame
from compat.meetstream.live_socket import TranscriptSocketSink
from meetings.events import publish
from meetings.timeline import SpeakerTimeline
from tests.compat.ws_peers import Receiver
from tests.conftest import make_client
from tests.factories import event_data
from webhooks.models import WebhookEndpoint

BASE = "/compat/meetstream/api/v1"
MEET = "https://meet.google.com/abc-defg-hij"
CHUNK = 3200  # 100 ms of 16 kHz s16le


def _chunk(value: int) -> bytes:
    return struct.pack("<h", value) * (CHUNK // 2)


def test_live_audio_in_meetstreams_framing_with_a_ready_frame_on_every_connection():
    receiver = Receiver(drop_after=5)
    streamer = MeetStreamAudioStreamer(receiver.url, bot_id="bot_1", backoff_initial_s=0.05)
    try:
        streamer.send_speakers([{"id": "p1", "name": "Alice", "isSpeaking": True}, {"id": "p2", "name": "Bob"}])
        for n in range(12):
            streamer.send_audio(_chunk(1000 + n))
            time.sleep(0.01)
        streamer.send_speakers([{"id": "p1", "name": "Alice", "isSpeaking": False}])
        streamer.send_audio(_chunk(-500))
    finally:
        streamer.close(timeout=10)
    receiver.server.shutdown()
    assert len(receiver.connections) >= 2
    for frames in receiver.connections:
        hello = json.loads(frames[0])
        assert hello == {
            "type": "ready",
            "bot_id": "bot_1",
            "sample_rate": 48000,
            "channels": 1,
            "encoding": "pcm_s16le",
        }
    audio = [parse_audio_frame(f) for f in receiver.all_frames() if isinstance(f, bytes)]
    assert len(audio) >= 10, "at most the frames in flight when the connection dropped are lost"
    assert all(len(pcm) == CHUNK * 3 for _, _, pcm in audio), "16 kHz becomes 48 kHz"
    assert audio[0][:2] == ("p1", "Alice") and audio[-1][:2] == ("", ""), "nobody speaking: no speaker"
    # A steady chunk stays that value once interpolation has caught up with it.
    samples = struct.unpack(f"<{CHUNK * 3 // 2}h", audio[-2][2])
    assert set(samples[3:]) == {1011}
    assert not any(isinstance(f, str) and f.startswith("[") for f in receiver.all_frames()), "no Notula frames"


@pytest.mark.django_db
def test_create_bot_streams_audio_and_transcript_through_the_bots_sinks(media):
    ms = make_client("MeetStream users")
    audio, transcript = Receiver(), Receiver()
    body = {
        "meeting_link": MEET,
        "live_audio_required": {"websocket_url": audio.url},
        "live_transcription_required": {"websocket_url": transcript.url},
    }
    created = ms.post(f"{BASE}/bots/create_bot", body, format="json")
    assert created.status_code == 201, created.json()
    bot = Bot.objects.get(pk=created.json()["bot_id"])
    streaming = bot.settings["streaming"]
    assert (streaming["audio_url"], streaming["audio_format"], streaming["transcript_url"]) == (
        audio.url,
        "meetstream",
        transcript.url,
    )
    # The live transcriber is left out here (it would load a model); its events are published by hand.
    bot.settings["transcription"]["enabled"] = False
    _, sinks = audio_sinks_for(bot, SpeakerTimeline(), started_at=timezone.now())
    streams = [s for s in sinks if isinstance(s, StreamingSink)]
    sockets = [s for s in sinks if isinstance(s, TranscriptSocketSink)]
    assert len(streams) == 1 and isinstance(streams[0].streamer, MeetStreamAudioStreamer)
    assert len(sockets) == 1

    publish(bot.meeting, "participant.joined", event_data("participant.joined"), bot_id=bot.id)
    partial = event_data("caption.partial", speaker="Alice", text="Hel", is_final=False)
    publish(bot.meeting, "caption.partial", partial, bot_id=bot.id)
    streams[0].write(_chunk(7), 0)
    final = event_data("segment.finalized", speaker="Alice", text="Hello there")
    publish(bot.meeting, "segment.finalized", final, bot_id=bot.id)
    for sink in sinks:
        sink.close()
    audio.server.shutdown()
    transcript.server.shutdown()

    frames = [json.loads(f) for f in transcript.all_frames()]
    assert [(f["transcript"], f["end_of_turn"]) for f in frames] == [("Hel", False), ("Hello there", True)]
    assert all(f["bot_id"] == bot.id and f["speakerName"] == "Alice" for f in frames)
    sent = audio.all_frames()
    assert json.loads(sent[0])["type"] == "ready"
    speaker_id, speaker_name, pcm = parse_audio_frame(sent[1])
    assert (speaker_id, speaker_name, len(pcm)) == ("", "", CHUNK * 3)


@pytest.mark.django_db
def test_realtime_endpoints_get_participant_events_only(media):
    ms = make_client("MeetStream users")
    body = {
        "meeting_link": MEET,
        "live_transcription_required": {"webhook_url": "https://app.example.com/live"},
        "recording_config": {
            "realtime_endpoints": [
                {"type": "webhook", "url": "https://app.example.com/people", "events": ["participant_events.join"]}
            ]
        },
    }
    bot = Bot.objects.get(pk=ms.post(f"{BASE}/bots/create_bot", body, format="json").json()["bot_id"])
    endpoints = {e.url: e for e in WebhookEndpoint.objects.filter(meeting=bot.meeting, format="meetstream_live")}
    assert endpoints["https://app.example.com/people"].event_types == ["participant.joined"]
    assert endpoints["https://app.example.com/live"].event_types == ["caption.partial", "segment.finalized"]
    assert endpoints["https://app.example.com/people"].secret == ms.issued.signing_secret

    joined = publish(bot.meeting, "participant.joined", event_data("participant.joined", name="Alice"), bot_id=bot.id)
    left = publish(bot.meeting, "participant.left", event_data("participant.left"), bot_id=bot.id)
    people = endpoints["https://app.example.com/people"]
    assert list(people.deliveries.values_list("event_id", flat=True)) == [joined.id]
    assert not endpoints["https://app.example.com/live"].deliveries.filter(event_id__in=[joined.id, left.id]).exists()

    from meetings.events import event_to_dict

    frame = json.loads(live_renderer.render(event_to_dict(joined), secret="s", delivery_id="d", attempt=1, now=0).body)
    assert frame["event"] == "participant_events.join" and frame["bot_id"] == bot.id
    assert frame["participant"]["name"] == "Alice" and frame["timestamp"]
