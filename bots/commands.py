"""Commands to a bot in a call (leave now; speak; pause the recording; post in the chat, change the
camera and take a screenshot, bots/actions.py; `ping` to measure the channel): recorded as a BotEvent,
then sent through a Redis stream of the bot's own, which its runner reads from a thread of its own and
acts on at once: the page loop's sleep ends when a command arrives. The database records commands; it is
not polled for them.

A stream (not pub/sub) because a command sent while the runner is still starting its browser must
wait for it: the runner reads its stream from the beginning.
"""

import json
import logging
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bots.models import Bot, BotEvent, BotStatus
from common.errors import Conflict

log = logging.getLogger(__name__)

# Statuses in which a runner reads the bot's commands.
LISTENING = frozenset({BotStatus.JOINING, BotStatus.WAITING_ROOM, BotStatus.IN_CALL})
KINDS = frozenset(
    {"leave", "ping", "speak", "stop_speaking", "pause_recording", "resume_recording", "chat", "camera", "screenshot"}
)
STREAM_MAXLEN = 200
STREAM_TTL_S = 24 * 3600
READ_BLOCK_MS = 1000


class BotNotListening(Conflict):
    code = "bot_not_running"


@dataclass(frozen=True)
class Command:
    id: str
    kind: str
    sent_at: float  # epoch seconds, for the latency the runner records
    payload: dict = field(default_factory=dict)


def stream_key(bot_id: str) -> str:
    return f"notula:bot:{bot_id}:commands"


_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL)
    return _client


def bot_command_send(*, bot: Bot, kind: str, payload: dict | None = None, check_heartbeat: bool = True) -> Command:
    """Record a command to a running bot (a BotEvent) and, after commit, send it to its runner.

    409 `bot_not_running` naming the bot's status when no runner listens: the bot has not started,
    has left, or (with `check_heartbeat`) its runner has not been heard from for longer than the
    reaper allows.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown bot command '{kind}'.")
    bot.refresh_from_db(fields=["status", "heartbeat_at"])
    if bot.status not in LISTENING:
        raise BotNotListening(
            f"Bot {bot.id} is '{bot.status}': no runner is in a call to take '{kind}'.", status=bot.status
        )
    limit = timedelta(seconds=settings.BOT_HEARTBEAT_TIMEOUT_S)
    if check_heartbeat and bot.heartbeat_at is not None and timezone.now() - bot.heartbeat_at > limit:
        raise BotNotListening(
            f"Bot {bot.id} is '{bot.status}' but its runner has not been heard from since "
            f"{bot.heartbeat_at.isoformat()}; it will be marked failed.",
            status=bot.status,
        )
    command = Command(id=f"cmd_{uuid.uuid4().hex[:16]}", kind=kind, sent_at=time.time(), payload=payload or {})
    BotEvent.objects.create(
        bot=bot,
        event="command",
        old_status=bot.status,
        new_status=bot.status,
        data={"command": kind, "id": command.id, **({"payload": command.payload} if command.payload else {})},
    )
    transaction.on_commit(lambda: _send(bot.id, command))
    return command


def _send(bot_id: str, command: Command) -> None:
    fields = {"id": command.id, "kind": command.kind, "sent_at": repr(command.sent_at)}
    fields["payload"] = json.dumps(command.payload)
    try:
        pipe = _redis().pipeline()
        pipe.xadd(stream_key(bot_id), fields, maxlen=STREAM_MAXLEN, approximate=True)
        pipe.expire(stream_key(bot_id), STREAM_TTL_S)
        pipe.execute()
    except redis.RedisError:
        # The BotEvent stays; a leave is also found by the runner's heartbeat (leave_requested_at).
        log.warning("Command %s to bot %s could not be sent", command.id, bot_id, exc_info=True)


def bot_command_done(*, bot: Bot, command: Command, error: str = "") -> None:
    """The runner acted on a command: recorded with how long it took from the send."""
    BotEvent.objects.create(
        bot=bot,
        event="command_done",
        old_status=bot.status,
        new_status=bot.status,
        data={
            "command": command.kind,
            "id": command.id,
            "latency_ms": round((time.time() - command.sent_at) * 1000, 1),
            **({"error": error} if error else {}),
        },
    )


class CommandInbox:
    """The runner's end of its bot's stream: a thread blocks on it; the page loop takes what came
    (`take`) and sleeps with `wait`, which returns early when a command arrives."""

    def __init__(self, bot_id: str):
        self.key = stream_key(bot_id)
        self._client = redis.Redis.from_url(settings.REDIS_URL)
        self._commands: deque[Command] = deque()
        self._cv = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name=f"commands-{bot_id}", daemon=True)
        self._thread.start()

    def take(self) -> list[Command]:
        with self._cv:
            commands = list(self._commands)
            self._commands.clear()
        return commands

    def wait(self, timeout: float) -> None:
        with self._cv:
            if not self._commands:
                self._cv.wait(timeout)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(READ_BLOCK_MS / 1000 + 2)
        try:
            self._client.delete(self.key)
        except redis.RedisError:
            pass  # it expires on its own
        self._client.close()

    def _read(self) -> None:
        last_id = "0"  # from the start: commands sent while the browser was starting count
        while not self._stop.is_set():
            try:
                replies = self._client.xread({self.key: last_id}, block=READ_BLOCK_MS, count=20)
            except redis.RedisError:
                log.warning("Reading %s failed; trying again", self.key, exc_info=True)
                self._stop.wait(1.0)
                continue
            for _stream, entries in replies or []:
                for entry_id, fields in entries:
                    last_id = entry_id
                    command = _parse(fields)
                    if command is not None:
                        with self._cv:
                            self._commands.append(command)
                            self._cv.notify_all()


def _parse(fields: dict) -> Command | None:
    try:
        text = {k.decode(): v.decode() for k, v in fields.items()}
        return Command(text["id"], text["kind"], float(text["sent_at"]), json.loads(text.get("payload") or "{}"))
    except (KeyError, ValueError, UnicodeDecodeError):
        log.warning("An unreadable command was skipped: %r", fields)
        return None
