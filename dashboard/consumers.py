"""Live pages over Channels, authenticated by the dashboard session.

/ws/dashboard/org                     status changes of the current organization's bots
/ws/dashboard/meetings/<id>?after=N   the meeting's event log after N in {"type": "replay", "events": [...]}
                                      frames, then {"type": "replay_done"}, then each new event as it happens
"""

from urllib.parse import parse_qs, urlsplit

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from accounts.models import Organization
from common.websocket import BoundedMessagesMixin
from dashboard.tenancy import current_organization
from meetings.events import ORGANIZATION_GROUP_TYPES, EventType, event_to_dict, meeting_group, organization_group
from meetings.selectors import meeting_events_after, meeting_list

# Close codes the page understands: 4401 sign in again, 4404 not yours / gone.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404
REPLAY_BATCH = 1000


# The organization stream feeds the bots page; captions there would only be noise.
def same_origin(scope) -> bool:
    """The session cookie rides along on a WebSocket opened by any site; only our own pages may use it.

    Browsers always send Origin on a WebSocket handshake; a client without one carries no victim's cookie.
    """
    headers = dict(scope.get("headers", []))
    origin = headers.get(b"origin", b"").decode("latin-1")
    if not origin:
        return True
    host = headers.get(b"host", b"").decode("latin-1")
    return urlsplit(origin).netloc == host or origin in settings.CSRF_TRUSTED_ORIGINS


def _organization(scope) -> Organization | None:
    user = scope.get("user")
    if user is None or not user.is_authenticated or not same_origin(scope):
        return None
    return current_organization(user=user, session=scope["session"])


def _organization_id(scope) -> str | None:
    organization = _organization(scope)
    return organization.pk if organization else None


def drop_superseded_partials(events: list[dict]) -> list[dict]:
    """A replay needs only the newest partial of each utterance, and none already finalized."""
    newest: dict[str, int] = {}
    for index, event in enumerate(events):
        if event["type"] in (EventType.CAPTION_PARTIAL, EventType.SEGMENT_FINALIZED):
            newest[_speaker_key(event["data"])] = index
    return [
        event
        for index, event in enumerate(events)
        if event["type"] != EventType.CAPTION_PARTIAL or newest.get(_speaker_key(event["data"])) == index
    ]


def _speaker_key(data: dict) -> str:
    """The utterance a caption belongs to: partials and its final segment share its id."""
    return str(data.get("utterance_id") or data.get("participant_id") or data.get("speaker") or "")


class OrganizationConsumer(BoundedMessagesMixin, AsyncJsonWebsocketConsumer):
    async def connect(self):
        organization_id = await database_sync_to_async(_organization_id)(self.scope)
        if organization_id is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = organization_group(organization_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def meeting_event(self, message):
        if message["event"]["type"] in ORGANIZATION_GROUP_TYPES:
            await self.send_json(message["event"])


class MeetingConsumer(BoundedMessagesMixin, AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.meeting_id = self.scope["url_route"]["kwargs"]["meeting_id"]
        self.last_sequence = 0
        meeting = await database_sync_to_async(self._meeting)()
        if meeting is None:
            await self.close(code=CLOSE_UNAUTHENTICATED if self._anonymous() else CLOSE_NOT_FOUND)
            return
        # Join the group before reading the log: an event committed in between arrives both ways
        # and the sequence check below drops the second copy; none falls in a gap.
        self.group = meeting_group(self.meeting_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        after = self._after()
        while True:
            # One frame per batch: an hour of meeting is thousands of events.
            events = await database_sync_to_async(self._replay)(meeting, after)
            if events:
                await self.send_json({"type": "replay", "events": drop_superseded_partials(events)})
                self.last_sequence = events[-1]["sequence"]
            if len(events) < REPLAY_BATCH:
                break
            after = events[-1]["sequence"]
        await self.send_json({"type": "replay_done", "sequence": self.last_sequence})

    def _anonymous(self) -> bool:
        user = self.scope.get("user")
        return user is None or not user.is_authenticated

    def _meeting(self):
        organization = _organization(self.scope)
        if organization is None:
            return None
        return meeting_list(organization=organization).filter(pk=self.meeting_id).first()

    def _after(self) -> int:
        raw = parse_qs(self.scope.get("query_string", b"").decode()).get("after", ["0"])[0]
        return int(raw) if raw.isdigit() else 0

    def _replay(self, meeting, after: int) -> list[dict]:
        return [event_to_dict(e) for e in meeting_events_after(meeting=meeting, after=after, limit=REPLAY_BATCH)]

    async def _send_event(self, event: dict) -> None:
        if event["sequence"] <= self.last_sequence:
            return
        self.last_sequence = event["sequence"]
        await self.send_json(event)

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def meeting_event(self, message):
        await self._send_event(message["event"])
