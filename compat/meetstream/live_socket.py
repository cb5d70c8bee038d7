"""MeetStream's live transcription over a WebSocket (`live_transcription_required.websocket_url`):
the frames of the webhook variant (`compat.meetstream.live_renderer.frame_for`), one JSON text frame
per partial caption and per finished segment, pushed from the bot while it is in the call.

A sink of the bot (`bots.sinks`, `streaming.transcript_url`): at most every `POLL_S` on the bot's own
tick it reads the meeting's event log after the last event it pushed, so frames go out in the log's
order, none twice; the connection, buffering and reconnection are those of the live audio stream
(`bots.audio_stream.AudioStreamer`, text frames only). Closed after the live transcriber, it pushes
the last segments before it closes the socket."""

import json
import logging
import time

from bots.audio_stream import AudioStreamer
from bots.models import Bot
from compat.meetstream.live_renderer import TRANSCRIPT_TYPES, frame_for
from meetings.events import event_to_dict
from meetings.selectors import meeting_events_after

log = logging.getLogger(__name__)

POLL_S = 0.3


class TranscriptSocketSink:
    def __init__(self, bot: Bot, url: str, *, streamer: AudioStreamer | None = None) -> None:
        self.bot = bot
        self.streamer = streamer or AudioStreamer(url, subject="live_transcription_required.websocket_url")
        self._after = 0
        self._polled = 0.0

    def write(self, pcm: bytes, offset_ms: int) -> None:
        if time.monotonic() - self._polled >= POLL_S:
            self.push_new()

    def push_new(self) -> int:
        """Push the transcript events logged since the last push; how many frames were queued."""
        self._polled = time.monotonic()
        queued = 0
        while True:
            events = list(meeting_events_after(meeting=self.bot.meeting, after=self._after, limit=500))
            for event in events:
                self._after = event.sequence
                if event.type in TRANSCRIPT_TYPES:
                    shown = event_to_dict(event)
                    shown["bot_id"] = shown.get("bot_id") or self.bot.id
                    self.streamer.send_text(json.dumps(frame_for(shown), ensure_ascii=False))
                    queued += 1
            if len(events) < 500:
                return queued

    def close(self) -> None:
        try:
            self.push_new()
        finally:
            self.streamer.close(timeout=10)
