"""The bot's end of MeetStream's control channel (`socket_connection_url`): once the bot is in the call
it connects to the integrator's socket, says `{"type": "ready", "bot_id"}`, and carries out each
command frame that comes (compat/meetstream/control.py), answering each; it reconnects with backoff
when the connection drops, and closes when the bot leaves.

Joined to the bot as one of its in-call sinks (`bots.sinks`, `streaming.control_url`): started at the
admission, closed when the call is over; it takes no audio. Its thread has its own database
connection, closed when it ends."""

import json
import logging
import threading

from django.db import close_old_connections, connection
from websockets.exceptions import WebSocketException

from bots.models import Bot
from common import net
from compat.meetstream.control import control_command

log = logging.getLogger(__name__)

BACKOFF_INITIAL_S = 0.25
BACKOFF_MAX_S = 10.0


class ControlSocketSink:
    def __init__(self, bot: Bot, url: str, *, backoff_initial_s: float = BACKOFF_INITIAL_S) -> None:
        self.bot_id = bot.id
        self.url = url
        self._backoff_initial = backoff_initial_s
        self._stop = threading.Event()
        self._socket = None
        self.connections = 0
        self.commands = 0
        self.last_error = ""
        self._thread = threading.Thread(target=self._run, name="control-socket", daemon=True)
        self._thread.start()

    def write(self, pcm: bytes, offset_ms: int) -> None:
        """No audio goes to the control channel."""

    def close(self) -> None:
        self._stop.set()
        socket = self._socket
        if socket is not None:
            try:
                socket.close()
            except Exception:
                pass
        self._thread.join(timeout=10)

    def _run(self) -> None:
        backoff = self._backoff_initial
        try:
            while not self._stop.is_set():
                try:
                    with net.ws_connect(self.url, subject="socket_connection_url", open_timeout_s=5) as socket:
                        self._socket = socket
                        self.connections += 1
                        backoff = self._backoff_initial
                        self._serve(socket)
                except (net.FetchError, WebSocketException, OSError) as exc:
                    self.last_error = getattr(exc, "message", None) or str(exc) or type(exc).__name__
                    log.info("socket_connection_url %s: %s; again in %.1f s", self.url, self.last_error, backoff)
                finally:
                    self._socket = None
                self._stop.wait(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)
        finally:
            connection.close()

    def _serve(self, socket) -> None:
        socket.send(json.dumps({"type": "ready", "bot_id": self.bot_id}))
        for message in socket:
            if self._stop.is_set():
                return
            close_old_connections()
            try:
                bot = Bot.objects.get(pk=self.bot_id)
                answer = control_command(bot, message)
            except Exception:
                log.exception("Bot %s: a control command failed", self.bot_id)
                answer = {"type": "error", "command": None, "message": "Notula could not carry out this command"}
            self.commands += 1
            socket.send(json.dumps(answer))
