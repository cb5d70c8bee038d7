"""Live pushes of published events to Channels groups, after commit, without making the publisher wait."""

import asyncio
import atexit
import logging
import os
import threading

import redis
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)


def meeting_group(meeting_id: str) -> str:
    """Listeners of one meeting (the WebSocket API, the dashboard's meeting page)."""
    return f"meeting.{meeting_id}"


def organization_group(organization_id: str) -> str:
    """The dashboard's bot list: the meeting events of `ORGANIZATION_GROUP_TYPES` of every meeting."""
    return f"org.{organization_id}"


def organization_events_group(organization_id: str) -> str:
    """Listeners of an organization's own events (`/ws/v1/events`)."""
    return f"org-events.{organization_id}"


class _Pusher:
    """Sends pushes to the channel layer from one event loop per process, in its own thread, in the
    order they were handed over, without making the publisher wait. async_to_sync would start a loop
    per call, and the Redis layer keeps connections per loop: a new connection for every event,
    which capped publishing at a few dozen events per second."""

    def __init__(self):
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.queue: asyncio.Queue = asyncio.Queue()
        self.idle = threading.Condition()
        self.pending = 0
        threading.Thread(
            target=self.loop.run_until_complete, args=(self._run(),), name="event-push", daemon=True
        ).start()

    def submit(self, layer, message: dict, groups: tuple[str, ...], kind: str) -> None:
        with self.idle:
            self.pending += 1
        self.loop.call_soon_threadsafe(self.queue.put_nowait, (layer, message, groups, kind))

    def flush(self, timeout: float) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.pending == 0, timeout)

    async def _run(self) -> None:
        while True:
            layer, message, groups, kind = await self.queue.get()
            try:
                group_message = {"type": kind, "event": message}
                for group in groups:
                    await layer.group_send(group, group_message)
            except Exception:
                # The log is the truth; live listeners that missed a push replay with ?after=N.
                log.warning("Could not push event %s to the channel layer", message["id"], exc_info=True)
            finally:
                with self.idle:
                    self.pending -= 1
                    self.idle.notify_all()


_pusher: _Pusher | None = None
_pusher_lock = threading.Lock()


def _get_pusher() -> _Pusher:
    global _pusher
    with _pusher_lock:
        # A forked child (Celery prefork) inherits the object but not its thread.
        if _pusher is None or _pusher.pid != os.getpid():
            _pusher = _Pusher()
        return _pusher


def pushes_flush(timeout: float = 5.0) -> bool:
    """Wait until this process's pushes have left (at exit, and for tests); False on timeout."""
    return _pusher is None or _pusher.pid != os.getpid() or _pusher.flush(timeout)


atexit.register(pushes_flush, 2.0)


def push(message: dict, group: str, *, also: str | None = None, kind: str = "meeting.event") -> None:
    """Send `message` to `group` (skipped while nobody listens there) and to `also` (always).

    `kind` is the Channels message type, which names the consumer method that receives it."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        if also is None and not _listened(layer, group):
            return
        _get_pusher().submit(layer, message, (group,) if also is None else (group, also), kind)
    except Exception:
        # The log is the truth; live listeners that missed a push replay with ?after=N.
        log.warning("Could not push event %s to the channel layer", message["id"], exc_info=True)


_presence_clients: dict[str, redis.Redis] = {}


def _listened(layer, group: str) -> bool:
    """Whether the group has members now. Most meetings have no live listener, and a group_send
    that finds nobody costs the publisher more than writing the event did: one EXISTS instead.

    The Redis layer keeps a group's members in one sorted set, which group_send reads the same way,
    so skipping is what group_send would have done at that moment. A listener joining later joins
    before it reads the log (`?after=N`), so it finds the event there. Other layers: always send.
    """
    key_of, hosts = getattr(layer, "_group_key", None), getattr(layer, "hosts", None)
    if key_of is None or not hosts:
        return True
    address = hosts[layer.consistent_hash(group)].get("address")
    if not isinstance(address, str):
        return True
    try:
        client = _presence_clients.get(address)
        if client is None:
            client = _presence_clients.setdefault(address, redis.Redis.from_url(address))
        return bool(client.exists(key_of(group)))
    except redis.RedisError:
        return True  # let group_send try (and log) as before
