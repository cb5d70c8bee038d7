"""Events: everything the outside world hears, in one ordered log per meeting and per organization.

- `catalogue`: every event type, its payload schema (`payloads`), description and example.
- `outbox`: `publish` / `publish_organization_event`, the write of the log (the outbox).
- `fanout`: how other apps (webhooks) add their rows to a publish and act after commit.
- `push`: the live pushes to Channels groups after commit.

This package imports no other Notula app: they register with it (`fanout_register`).
"""

from meetings.events.catalogue import ALIASES, CATALOGUE, EventType, canonical_type
from meetings.events.checks import EventPayloadError
from meetings.events.fanout import Fanout, fanout_register
from meetings.events.outbox import (
    ORGANIZATION_GROUP_TYPES,
    event_to_dict,
    publish,
    publish_organization_event,
)
from meetings.events.push import meeting_group, organization_events_group, organization_group, pushes_flush

__all__ = [
    "ALIASES",
    "CATALOGUE",
    "ORGANIZATION_GROUP_TYPES",
    "EventPayloadError",
    "EventType",
    "Fanout",
    "canonical_type",
    "event_to_dict",
    "fanout_register",
    "meeting_group",
    "organization_events_group",
    "organization_group",
    "publish",
    "publish_organization_event",
    "pushes_flush",
]
