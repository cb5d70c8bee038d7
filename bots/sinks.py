"""Where a bot's captured audio goes: every sink gets each 100 ms chunk with its offset.

The recording writer is always there (and each participant's track writer with
`recording.per_participant`); the live audio streamer and the live transcriber join when the
bot's settings ask for them and their modules are installed. A sink that fails is logged and dropped:
a broken stream consumer must not end the recording.
"""

import importlib
import logging
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.conf import settings

from bots.models import Bot
from bots.recording import RecordingWriter
from bots.track_recording import TrackRecorder
from meetings.timeline import SpeakerTimeline

log = logging.getLogger(__name__)

# `streaming.audio_format` -> the streamer that frames the live audio (the same stream, other frames).
AUDIO_FORMATS = {
    "notula": ("bots.audio_stream", "AudioStreamer"),
    "meetstream": ("compat.meetstream.live_audio", "MeetStreamAudioStreamer"),
}


@runtime_checkable
class AudioSink(Protocol):
    def write(self, pcm: bytes, offset_ms: int) -> None:
        """16 kHz mono s16le PCM starting `offset_ms` after the bot's admission."""

    def close(self) -> None:
        """The call is over: flush and release."""


class StreamingSink:
    """Adapts `bots.audio_stream.AudioStreamer` (live audio out to the integrator) to AudioSink."""

    def __init__(self, streamer) -> None:
        self.streamer = streamer

    def write(self, pcm: bytes, offset_ms: int) -> None:
        self.streamer.send_audio(pcm)

    def speakers_changed(self, speakers: list[dict]) -> None:
        self.streamer.send_speakers(speakers)

    def close(self) -> None:
        self.streamer.close()


def _optional(module: str, name: str):
    """A class from a module that may not be installed in this build; None when absent."""
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError:
        return None


def recording_directory(bot: Bot) -> Path:
    return Path(settings.MEDIA_ROOT) / "recordings" / bot.meeting_id


def transcription_preload(bot: Bot) -> None:
    """Start loading the bot's ASR model in the background, so it is ready when the bot is admitted."""
    transcription = bot.settings.get("transcription") or {}
    preload = _optional("meetings.transcription.engine", "preload")
    options_from_settings = _optional("meetings.transcription.registry", "options_from_settings")
    if not transcription.get("enabled", True) or preload is None or options_from_settings is None:
        return
    try:
        preload(options_from_settings(transcription))
    except Exception:
        log.warning("Bot %s: the ASR model could not be preloaded", bot.id, exc_info=True)


def audio_sinks_for(
    bot: Bot, timeline: SpeakerTimeline, *, started_at: datetime | None = None
) -> tuple[RecordingWriter, list]:
    """The recording writer, and every sink the bot's settings ask for (the writer first).
    `started_at`: the admission, the moment offset 0 of the audio stands for."""
    writer = RecordingWriter(recording_directory(bot))
    sinks: list = [writer]
    if (bot.settings.get("recording") or {}).get("per_participant"):
        sinks.append(TrackRecorder(recording_directory(bot), timeline, bot_name=bot.bot_name))

    streaming = bot.settings.get("streaming") or {}
    audio_url = streaming.get("audio_url")
    if audio_url:
        audio_format = streaming.get("audio_format") or "notula"
        streamer_class = _optional(*AUDIO_FORMATS[audio_format])
        if streamer_class is None:
            log.warning("Bot %s asks for streaming.audio_url but bots.audio_stream is not installed", bot.id)
        else:
            options = {"bot_id": bot.id} if audio_format != "notula" else {}
            sinks.append(StreamingSink(streamer_class(audio_url, **options)))

    # Live transcription plugs in here when its packages are installed: an audio sink that reads
    # speakers from the timeline; its results go into the meeting through the meetings services.
    transcription = bot.settings.get("transcription") or {}
    if transcription.get("enabled", True):
        start = _optional("meetings.transcripts", "live_transcriber_start")
        if start is not None:
            sinks.append(
                start(
                    meeting=bot.meeting, settings=transcription, timeline=timeline, bot_id=bot.id, started_at=started_at
                )
            )
    # After the transcriber: closed after it, so its last segments are pushed before the socket closes.
    # A vendor's control channel: the bot connects to it while in the call (it takes no audio).
    control_url = streaming.get("control_url")
    if control_url:
        control_class = _optional("compat.meetstream.control_socket", "ControlSocketSink")
        if control_class is not None:
            sinks.append(control_class(bot, control_url))
    transcript_url = streaming.get("transcript_url")
    if transcript_url:
        socket_class = _optional("compat.meetstream.live_socket", "TranscriptSocketSink")
        if socket_class is not None:
            sinks.append(socket_class(bot, transcript_url))
    return writer, sinks


class SinkFanout:
    """Hands each chunk to every sink; drops a sink (not the bot) that raises."""

    def __init__(self, sinks: list) -> None:
        self.sinks = list(sinks)

    def write(self, pcm: bytes, offset_ms: int) -> None:
        for sink in list(self.sinks):
            self._call(sink, "write", pcm, offset_ms)

    def write_tracks(self, chunks: list[tuple[str, bytes, int]]) -> None:
        """The tracks' own chunks with sound since the last call, (track id, pcm, offset_ms), to the
        sinks that take them apart; called every tick while the tracks are tapped, chunks or none."""
        for sink in list(self.sinks):
            if hasattr(sink, "write_tracks"):
                self._call(sink, "write_tracks", chunks)

    def speakers_changed(self, speakers: list[dict]) -> None:
        for sink in list(self.sinks):
            if hasattr(sink, "speakers_changed"):
                self._call(sink, "speakers_changed", speakers)

    def captions(self, captions: list) -> None:
        for sink in list(self.sinks):
            if hasattr(sink, "captions"):
                self._call(sink, "captions", captions)

    def close(self) -> None:
        for sink in self.sinks:
            try:
                sink.close()
            except Exception:
                log.exception("Audio sink %r failed to close", sink)

    def _call(self, sink, method: str, *args) -> None:
        try:
            getattr(sink, method)(*args)
        except Exception:
            if isinstance(sink, RecordingWriter):
                raise  # the recording is the bot's own job: a failure there is a crash
            log.exception("Audio sink %r failed; it gets no more audio", sink)
            self.sinks.remove(sink)
            try:
                sink.close()
            except Exception:
                pass
