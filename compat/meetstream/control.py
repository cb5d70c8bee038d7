"""MeetStream's control channel (`socket_connection_url`): what the integrator's socket may send the bot,
each command one JSON text frame, carried out by Notula's own in-call services (the same as the native
API's and `send_message`'s), answered with one frame:

- `{"command": "sendmsg", "message"}`: a chat message;
- `{"command": "sendimg", "img_url"}`: a picture as the bot's camera;
- `{"command": "sendaudio", "audiochunk": <base64 PCM s16le mono>, "sample_rate"?: 48000}`: the bot says it;
- `{"command": "pause_recording"}`, `{"command": "resume_recording"}`, `{"command": "leave"}`.

Answers: `{"type": "ack", "command", "command_id"}`, or `{"type": "error", "command", "message"}` for a
command that is unknown, malformed or refused (the bot is not in the call, ...)."""

import base64
import binascii
import io
import json
import wave

from bots import services
from bots.models import Bot
from bots.pause import bot_pause_recording, bot_resume_recording
from bots.services.in_call import bot_camera_request, bot_in_call_request
from bots.speech import bot_speak
from common.errors import NotulaError

SAMPLE_RATES = (8000, 16000, 24000, 44100, 48000)


class CommandRefused(Exception):
    pass


def _text(message: dict, name: str, limit: int) -> str:
    value = message.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise CommandRefused(f"{name}: a text of 1 to {limit} characters is required")
    return value


def _wav(message: dict) -> bytes:
    """The chunk as a WAV file, which Notula's speech takes."""
    rate = message.get("sample_rate", 48000)
    if rate not in SAMPLE_RATES:
        raise CommandRefused(f"sample_rate: one of {', '.join(map(str, SAMPLE_RATES))}")
    try:
        pcm = base64.b64decode(_text(message, "audiochunk", 20_000_000), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CommandRefused("audiochunk: base64 of PCM s16le mono is required") from exc
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm[: len(pcm) // 2 * 2])
    return out.getvalue()


def _act(bot: Bot, name: str, message: dict) -> str:
    """The command's id in Notula's command channel."""
    if name == "sendmsg":
        return bot_in_call_request(bot=bot, kind="chat", payload={"text": _text(message, "message", 500)}).id
    if name == "sendimg":
        return bot_camera_request(bot=bot, image_url=_text(message, "img_url", 2000)).id
    if name == "sendaudio":
        return bot_speak(bot=bot, audio=_wav(message))["command_id"]
    if name == "pause_recording":
        return bot_pause_recording(bot=bot)["command_id"]
    if name == "resume_recording":
        return bot_resume_recording(bot=bot)["command_id"]
    if name == "leave":
        services.bot_request_leave(bot=bot)
        return ""
    raise CommandRefused(f"command: unknown {name!r}; use sendmsg, sendimg, sendaudio, pause_recording, "
                         "resume_recording or leave")  # fmt: skip


def control_command(bot: Bot, raw: str | bytes) -> dict:
    """Carry out one frame from the control socket; the frame to answer with."""
    try:
        message = json.loads(raw)
    except (TypeError, ValueError):
        return {"type": "error", "command": None, "message": "not JSON: send one JSON object per text frame"}
    if not isinstance(message, dict):
        return {"type": "error", "command": None, "message": "send one JSON object per text frame"}
    name = message.get("command")
    try:
        bot.refresh_from_db()
        command_id = _act(bot, name, message)
    except CommandRefused as exc:
        return {"type": "error", "command": name, "message": str(exc)}
    except NotulaError as exc:
        return {"type": "error", "command": name, "message": exc.message}
    return {"type": "ack", "command": name, "command_id": command_id}
