"""After the call: the live transcriber's last utterances, the transcript completed (whether the bot
transcribed or not: the meeting must not stay `pending`), then the recordings encoded and registered
(each publishes `recording.ready`)."""

import logging
from pathlib import Path

from django.utils import timezone

from bots import lifecycle
from bots.models import Bot
from bots.recording import LOSSLESS, encode
from bots.sinks import SinkFanout, recording_directory
from bots.states import bot_apply_event
from bots.track_recording import TrackFile, TrackRecorder
from meetings import services as meeting_services
from meetings.imports import meeting_fail
from meetings.models import Recording
from meetings.transcripts import transcript_complete

log = logging.getLogger(__name__)


def call_post_process(
    *, bot: Bot, writer, fanout: SinkFanout, call_ms: int, video: Path | None, gaps: list | None = None
) -> None:
    """leaving -> post_processing -> ended, with the transcript and the recordings in between; `gaps`:
    where the recording was paused (bots/pause.py)."""
    bot_apply_event(bot, "left")
    meeting_services.meeting_set_times(meeting=bot.meeting, ended_at=timezone.now())
    duration_ms = writer.finish(call_ms=call_ms)
    tracks = _finish_tracks(fanout, duration_ms)
    with lifecycle.heartbeat_in_background(bot=bot):
        _finish_transcript(bot, fanout)
        write_recordings(bot=bot, directory=recording_directory(bot), duration_ms=duration_ms, video=video, gaps=gaps)
        write_track_recordings(bot=bot, tracks=tracks, duration_ms=duration_ms, gaps=gaps)
    bot_apply_event(bot, "ended")


def call_salvage(*, bot: Bot, writer, fanout: SinkFanout, call_ms: int, video: Path | None) -> None:
    """After a crash in or after the call: keep what was transcribed and recorded so far (best effort)."""
    if bot.meeting.recordings.exists():
        return
    try:
        duration_ms = writer.finish(call_ms=call_ms)
        tracks = _finish_tracks(fanout, duration_ms)
        _finish_transcript(bot, fanout)
        write_recordings(bot=bot, directory=recording_directory(bot), duration_ms=duration_ms, video=video)
        write_track_recordings(bot=bot, tracks=tracks, duration_ms=duration_ms)
    except Exception:
        log.exception("Bot %s: the recording could not be saved after the crash", bot.id)


def _finish_tracks(fanout: SinkFanout, duration_ms: int) -> list[TrackFile]:
    """Each participant's track at the mix's length, before the sinks close (`recording.per_participant`)."""
    recorder = next((sink for sink in fanout.sinks if isinstance(sink, TrackRecorder)), None)
    if recorder is None:
        return []
    try:
        return recorder.finish(call_ms=duration_ms)
    except Exception:  # the participants' files are extras: the mix and the transcript still go
        log.exception("The participants' tracks could not be finished")
        return []


def _finish_transcript(bot: Bot, fanout: SinkFanout) -> None:
    fanout.close()  # the live transcriber finishes its last utterances here
    failure = next((sink.failure for sink in fanout.sinks if getattr(sink, "failure", "")), "")
    if failure:
        # Never an incomplete transcript called complete: `failed`, the reason, `transcript.failed`.
        meeting_fail(meeting=bot.meeting, reason=f"live transcription failed: {failure}")
        return
    save_document = (bot.settings.get("transcription") or {}).get("save_document", True)
    transcript_complete(meeting=bot.meeting, bot_id=bot.id, save_document=save_document)


def write_recordings(
    *, bot: Bot, directory: Path, duration_ms: int, video: Path | None = None, gaps: list | None = None
) -> list:
    """The lossless file, the compressed one in the bot's audio_format, and the MP4 in speaker_view."""
    raw = directory / "audio.pcm"
    wanted = (bot.settings.get("recording") or {}).get("audio_format") or "mp3"
    formats = [LOSSLESS] + ([wanted] if wanted != LOSSLESS else [])
    recordings = []
    lossless_path = None
    for fmt in formats:
        path = encode(raw, directory / f"audio.{fmt}", fmt)
        if fmt == LOSSLESS:
            lossless_path = path
        recordings.append(
            meeting_services.recording_create(
                meeting=bot.meeting,
                kind=Recording.Kind.AUDIO,
                format=fmt,
                path=path,
                duration_ms=duration_ms,
                bot_id=bot.id,
                gaps=gaps or [],
            )
        )
    if video is not None and lossless_path is not None:
        from bots.video import mux

        try:
            target = mux(video, lossless_path, directory / "meeting.mp4")
        except Exception:
            log.exception("Bot %s: the video could not be muxed with its audio", bot.id)
        else:
            video.unlink(missing_ok=True)
            recordings.append(
                meeting_services.recording_create(
                    meeting=bot.meeting,
                    kind=Recording.Kind.VIDEO,
                    format="mp4",
                    path=target,
                    duration_ms=duration_ms,
                    bot_id=bot.id,
                    gaps=gaps or [],
                )
            )
    return recordings


def write_track_recordings(*, bot: Bot, tracks: list[TrackFile], duration_ms: int, gaps: list | None = None) -> list:
    """One file per participant's track, in the bot's audio_format (as the mix's compressed file),
    each a `Recording` naming its participant, and a `recording.ready` event."""
    fmt = (bot.settings.get("recording") or {}).get("audio_format") or "mp3"
    recordings = []
    for track in tracks:
        path = encode(track.raw_path, track.raw_path.parent.parent / f"participant-{track.number}.{fmt}", fmt)
        track.raw_path.unlink(missing_ok=True)
        participant = bot.meeting.participants.filter(pk=track.participant_id).first() if track.participant_id else None
        recordings.append(
            meeting_services.recording_create(
                meeting=bot.meeting,
                kind=Recording.Kind.AUDIO,
                format=fmt,
                path=path,
                duration_ms=duration_ms,
                bot_id=bot.id,
                gaps=gaps or [],
                participant=participant,
                speaker=participant.name if participant else track.speaker,
            )
        )
    return recordings
