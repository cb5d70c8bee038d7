"""The bot speaks: `POST /api/v1/bots/{id}/speak` with a text (espeak-ng, offline) or an audio file
(upload, URL, base64; anything ffmpeg reads: mp3, wav, ogg...).

The request is turned into the bot's microphone format (PCM, mono, `RATE`) here, at the API, so that a
text in an unknown voice or a file that is no audio is a 400 naming the field, not a failure in the
call. The file goes where the runner reads it (MEDIA_ROOT, which the workers share) and a `speak`
command tells the runner; it queues it behind what it is already saying (bots/speaker.py).
"""

import base64
import binascii
import re
import subprocess
import tempfile
import uuid
from pathlib import Path

from django.conf import settings

from bots.commands import bot_command_send
from bots.models import Bot, BotStatus
from common import net
from common.errors import Conflict, PayloadTooLarge, ValidationError

RATE = 24000
BYTES_PER_S = RATE * 2
DEFAULT_VOICE = "en-us"
TEXT_MAX = 2000
AUDIO_URL_TIMEOUT_S = 15
ESPEAK = "espeak-ng"
# A voice name, never a path: espeak-ng also takes a file for -v.
VOICE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,12})*(?:\+[a-z0-9]{1,12})?$")
AUDIO_FORMATS = "mp3,wav,ogg,flac,mov,matroska,aac"  # ffmpeg demuxers: mov is mp4/m4a, matroska webm


def speech_directory(bot: Bot) -> Path:
    return Path(settings.MEDIA_ROOT) / "bots" / bot.id / "speech"


def _in_call(bot: Bot) -> None:
    bot.refresh_from_db(fields=["status"])
    if bot.status != BotStatus.IN_CALL:
        raise Conflict(
            f"Bot {bot.id} is '{bot.status}': it can speak only in a call.", code="bot_not_in_call", status=bot.status
        )


def _to_pcm(source: Path, target: Path, *, field: str) -> int:
    """Decode any audio ffmpeg reads into the microphone's PCM; its length in ms. 400 on `field`."""
    # Audio containers only, read from this one file: a playlist or concat list that names other files
    # or URLs is refused, whatever ffmpeg's own defaults.
    command = [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
        "-protocol_whitelist", "file", "-format_whitelist", AUDIO_FORMATS, "-i", str(source),
        "-vn", "-ac", "1", "-ar", str(RATE), "-f", "s16le", str(target),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, timeout=120)
    size = target.stat().st_size if target.exists() else 0
    if result.returncode != 0 or size == 0:
        target.unlink(missing_ok=True)
        message = "This is no audio ffmpeg can read (mp3, wav, ogg, ...)."
        raise ValidationError(message, fields={field: [message]})
    max_ms = settings.BOT_SPEECH_MAX_S * 1000
    duration_ms = size * 1000 // BYTES_PER_S
    if duration_ms > max_ms:
        target.unlink(missing_ok=True)
        message = f"The audio lasts {duration_ms // 1000} s; a bot says at most {settings.BOT_SPEECH_MAX_S} s at once."
        raise ValidationError(message + " (NOTULA_BOT_SPEECH_MAX_S)", fields={field: [message]})
    return duration_ms


def _render_text(text: str, voice: str, wav: Path) -> None:
    if not VOICE_RE.match(voice):
        message = f"'{voice}' is no voice name: a language such as en-us, with a variant such as +f3."
        raise ValidationError(message, fields={"voice": [message]})
    # The text goes on stdin, never on the command line: it comes from API users.
    result = subprocess.run(
        [ESPEAK, "-v", voice, "-s", "165", "-w", str(wav), "--stdin"],
        input=text.encode(),
        capture_output=True,
        timeout=60,
    )
    if result.returncode != 0 or not wav.exists():
        message = f"'{voice}' is no voice this server has (espeak-ng --voices lists them)."
        raise ValidationError(message, fields={"voice": [message]})


def _fetch(url: str, target: Path) -> None:
    try:
        with net.open_url(
            url, subject="audio_url", max_bytes=settings.BOT_SPEECH_MAX_BYTES, timeout_s=AUDIO_URL_TIMEOUT_S
        ) as response:
            response.save(target)
    except net.FetchError as exc:
        raise ValidationError(exc.message, fields={"audio_url": [exc.message]}) from exc


def bot_speak(
    *,
    bot: Bot,
    text: str = "",
    voice: str = "",
    audio: bytes | None = None,
    audio_url: str = "",
    audio_base64: str = "",
) -> dict:
    """Queue one utterance for a bot in a call: exactly one of text, audio (an upload), audio_url or
    audio_base64. Returns {speech_id, duration_ms, ...} as the API answers it."""
    given = [name for name, value in (("text", text), ("audio", audio), ("audio_url", audio_url),
                                      ("audio_base64", audio_base64)) if value]  # fmt: skip
    if len(given) != 1:
        message = "Send exactly one of text, audio (a multipart file), audio_url or audio_base64."
        raise ValidationError(message, fields={name: [message] for name in given or ["text"]})
    _in_call(bot)
    speech_id = f"spk_{uuid.uuid4().hex[:16]}"
    directory = speech_directory(bot)
    directory.mkdir(parents=True, exist_ok=True)
    pcm = directory / f"{speech_id}.pcm"
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        source = Path(scratch) / "source"
        field = given[0]
        if text:
            voice = voice or DEFAULT_VOICE
            _render_text(text, voice, source)
        elif audio_url:
            _fetch(audio_url, source)
        else:
            try:
                data = audio if audio is not None else base64.b64decode(audio_base64, validate=True)
            except (binascii.Error, ValueError) as exc:
                message = "This is not base64."
                raise ValidationError(message, fields={"audio_base64": [message]}) from exc
            if len(data) > settings.BOT_SPEECH_MAX_BYTES:
                message = f"The file is {len(data)} bytes; at most {settings.BOT_SPEECH_MAX_BYTES}."
                raise PayloadTooLarge(message, code="upload_too_large", fields={field: [message]})
            source.write_bytes(data)
        duration_ms = _to_pcm(source, pcm, field=field)
    payload = {"speech_id": speech_id, "file": pcm.name, "duration_ms": duration_ms, "rate": RATE}
    if text:
        payload.update(text=text[:200], voice=voice)
    command = bot_command_send(bot=bot, kind="speak", payload=payload)
    return {"speech_id": speech_id, "command_id": command.id, "duration_ms": duration_ms, "status": "queued"}


def bot_stop_speaking(*, bot: Bot) -> dict:
    """Silence the bot now and drop what it had queued."""
    _in_call(bot)
    command = bot_command_send(bot=bot, kind="stop_speaking")
    return {"command_id": command.id, "status": "stopping"}
