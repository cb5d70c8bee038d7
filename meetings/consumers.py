"""The WebSocket API: `/ws/v1/meetings/{id}` streams a meeting's events, `/ws/v1/events` the
organization's own events (not tied to a meeting), each with its sequence in its log.

`?after=N` first replays the log after N, then continues live. The consumer joins the log's group
*before* reading the log, so every event committed after the read is heard live; live events at or
below the last one sent are skipped. Channels hands this consumer one message at a time, so live
events wait in the channel layer while the replay runs.

Live pushes come from different processes after commit and can arrive out of order (or be dropped by
a full channel). An event's sequence is only handed out after the previous one committed, so a live
event that skips ahead means the missing ones are already in the log: they are read from it first.
The client therefore sees every sequence once, in order.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.datastructures import CaseInsensitiveMapping

from accounts.authentication import raw_key_from_headers
from accounts.services import api_key_authenticate
from common.websocket import BoundedMessagesMixin
from meetings import selectors
from meetings.events import event_to_dict, meeting_group, organization_events_group
from meetings.models import Meeting

CLOSE_UNAUTHORIZED = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_BAD_REQUEST = 4400
PAGE = 500


def _raw_key(scope) -> str | None:
    headers = CaseInsensitiveMapping({k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])})
    raw = raw_key_from_headers(headers)
    if raw:
        return raw
    query = parse_qs(scope.get("query_string", b"").decode())
    for name in ("api_key", "token"):
        if query.get(name):
            return query[name][0]
    return None


@database_sync_to_async
def _organization_for(raw_key: str | None) -> str | None:
    api_key = api_key_authenticate(raw_key=raw_key) if raw_key else None
    return api_key.organization_id if api_key else None


class _LogConsumer(BoundedMessagesMixin, AsyncJsonWebsocketConsumer):
    """One ordered log over a WebSocket: replay after N, then live (see the module docstring)."""

    group: str | None = None
    last_sent = 0

    async def connect(self):
        # Accept first: a close before accepting reaches the client as a bare HTTP 403, without our code.
        await self.accept()
        organization_id = await _organization_for(_raw_key(self.scope))
        if organization_id is None:
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        group = await self._open(organization_id)
        if group is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        raw_after = (parse_qs(self.scope.get("query_string", b"").decode()).get("after") or ["0"])[0]
        if not raw_after.isdigit():
            await self.send_json({"error": {"code": "validation_error", "message": "'after' must be an integer."}})
            await self.close(code=CLOSE_BAD_REQUEST)
            return
        self.last_sent = int(raw_after)
        self.group = group
        await self.channel_layer.group_add(group, self.channel_name)
        await self._send_from_log(before=None)

    async def _open(self, organization_id: str) -> str | None:
        """The group to join for this organization's key, or None: not found."""
        raise NotImplementedError

    async def _read(self, after: int, limit: int) -> list[dict]:
        raise NotImplementedError

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        pass  # the stream is one way; clients may send pings (JSON, NOTULA_WS_MAX_MESSAGE_BYTES at most)

    async def meeting_event(self, message):
        await self._live(message["event"])

    async def organization_event(self, message):
        await self._live(message["event"])

    async def _live(self, event: dict) -> None:
        if self.group is None:
            return
        sequence = event["sequence"]
        if sequence <= self.last_sent:
            return
        if sequence > self.last_sent + 1:
            await self._send_from_log(before=sequence)
        await self._send(event)

    async def _send_from_log(self, *, before: int | None) -> None:
        while True:
            events = [e for e in await self._read(self.last_sent, PAGE) if before is None or e["sequence"] < before]
            for event in events:
                await self._send(event)
            if len(events) < PAGE:
                return

    async def _send(self, event: dict) -> None:
        await self.send_json(event)
        self.last_sent = event["sequence"]


class MeetingEventsConsumer(_LogConsumer):
    """`/ws/v1/meetings/{id}`: one meeting's events."""

    meeting: Meeting | None = None

    async def _open(self, organization_id: str) -> str | None:
        meeting_id = self.scope["url_route"]["kwargs"]["meeting_id"]
        self.meeting = await database_sync_to_async(
            Meeting.objects.filter(organization_id=organization_id, pk=meeting_id).first
        )()
        return meeting_group(self.meeting.pk) if self.meeting else None

    @database_sync_to_async
    def _read(self, after: int, limit: int) -> list[dict]:
        return [
            event_to_dict(e) for e in selectors.meeting_events_after(meeting=self.meeting, after=after, limit=limit)
        ]


class OrganizationEventsConsumer(_LogConsumer):
    """`/ws/v1/events`: the organization's own events (not tied to a meeting)."""

    organization_id = ""

    async def _open(self, organization_id: str) -> str | None:
        self.organization_id = organization_id
        return organization_events_group(organization_id)

    @database_sync_to_async
    def _read(self, after: int, limit: int) -> list[dict]:
        events = selectors.organization_events_after(organization_id=self.organization_id, after=after, limit=limit)
        return [event_to_dict(e) for e in events]
