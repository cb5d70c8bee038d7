"""`GET /v1/meeting-buddy/sessions/{id}/stream`: the session's status as Server-Sent Events.

`event: status` per change of the session's status and per participant joining or leaving,
`: keepalive` every 15 s, and `event: close` `{"reason": "session_ended"}` once the session is
completed or failed, which ends the stream. Read from the meeting's event log (the outbox, in
sequence order), so nothing that happens while the stream is open is missed or repeated. Streamed by
Daphne as it is written (an async iterator: no buffering, no worker thread held)."""

import asyncio
import json
import time
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.db import close_old_connections
from django.http import StreamingHttpResponse

from accounts.models import Organization
from bots.models import Bot
from bots.selectors import bot_get
from compat.aitronos.ids import session_id
from compat.aitronos.status import TERMINAL, session_status, session_status_of
from compat.aitronos.views import AitronosView
from compat.times import iso_ms_z
from meetings.events import EventType
from meetings.selectors import meeting_events_after

POLL_S = 0.5  # how soon a change reaches the stream: the event log is read this often
KEEPALIVE_S = 15.0


def _frame(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


def _read(organization: Organization, bot_id: str, after: int) -> tuple[Bot, list]:
    close_old_connections()  # runs in a thread of its own, outside any request's connection handling
    bot = bot_get(organization=organization, bot_id=bot_id)
    return bot, list(meeting_events_after(meeting=bot.meeting, after=after))


class SessionStream:
    """One client's stream: what it has been told so far, and the next frames to tell it."""

    def __init__(self, bot: Bot):
        self.organization = bot.organization
        self.bot_id = bot.id
        self.session = session_id(bot.id)
        self.status = session_status(bot)
        self.after = bot.meeting.event_seq
        self.joined = bot.joined_at is not None

    def status_frame(self, status: str, moment: str | None, bot: Bot, **extra) -> bytes:
        previous, self.status = self.status, status
        failed = status == "failed"
        data = {
            "session_id": self.session,
            "status": status,
            "previous_status": previous,
            "timestamp": moment,
            "error_message": (bot.end_message or bot.end_reason) if failed else None,
            "error_code": bot.end_reason or "failed" if failed else None,
            **extra,
        }
        return _frame("status", data)

    def frames_for(self, bot: Bot, event) -> list[bytes]:
        moment = iso_ms_z(event.created_at)
        data = event.payload
        if event.type == EventType.BOT_STATUS_CHANGED and event.bot_id in ("", self.bot_id):
            self.joined = self.joined or data.get("new_status") == "in_call"
            status = session_status_of(
                status=data.get("new_status", ""),
                recording_state=data.get("recording_state", ""),
                end_reason=data.get("end_reason") or "",
                joined=self.joined,
                leave_requested=bot.leave_requested_at is not None and data.get("new_status") != "ended",
            )
            if status == self.status:
                return []
            frames = []
            if status == "recording" and self.status in ("initializing", "joining"):
                frames.append(self.status_frame("active", moment, bot))  # the documented order
            return frames + [self.status_frame(status, moment, bot)]
        if event.type in (EventType.PARTICIPANT_JOINED, EventType.PARTICIPANT_LEFT):
            change = "joined" if event.type == EventType.PARTICIPANT_JOINED else "left"
            name = data.get("name") or ""
            return [self.status_frame(self.status, moment, bot, participant_name=name, event=change)]
        return []

    async def frames(self) -> AsyncIterator[bytes]:
        bot, _ = await sync_to_async(_read, thread_sensitive=False)(self.organization, self.bot_id, self.after)
        yield self.status_frame(self.status, iso_ms_z(bot.updated_at), bot)
        quiet_since = time.monotonic()
        while self.status not in TERMINAL:
            await asyncio.sleep(POLL_S)
            bot, events = await sync_to_async(_read, thread_sensitive=False)(self.organization, self.bot_id, self.after)
            for event in events:
                self.after = event.sequence
                for frame in self.frames_for(bot, event):
                    quiet_since = time.monotonic()
                    yield frame
            if self.status not in TERMINAL and session_status(bot) in TERMINAL and not events:
                yield self.status_frame(session_status(bot), iso_ms_z(bot.updated_at), bot)
            if time.monotonic() - quiet_since >= KEEPALIVE_S:
                quiet_since = time.monotonic()
                yield b": keepalive\n\n"
        yield _frame("close", {"reason": "session_ended"})


class SessionStreamView(AitronosView):
    def get(self, request, session_id: str):
        stream = SessionStream(self.bot_for(session_id))
        response = StreamingHttpResponse(stream.frames(), content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        response["X-Accel-Buffering"] = "no"  # a proxy in front must not hold the frames back either
        return response
