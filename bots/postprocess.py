"""After the call: encode the recordings and register them (each publishes `recording.ready`)."""

import logging
from pathlib import Path

from bots.models import Bot
from bots.recording import LOSSLESS, encode
from meetings import services as meeting_services
from meetings.models import Recording

log = logging.getLogger(__name__)


def write_recordings(*, bot: Bot, directory: Path, duration_ms: int, video: Path | None = None) -> list:
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
                )
            )
    return recordings
