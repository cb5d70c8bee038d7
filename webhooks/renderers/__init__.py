"""Webhook formats. Each module renders one MeetingEvent (as `event_to_dict` gives it) into a body and
signed headers; adding a format is one module here, its name in `RENDERERS` and in
`WebhookEndpoint.Format`.

A renderer module provides:

- `accepts(event_type: str) -> bool`: whether the format carries this event type at all (a format
  that has no word for an event never receives it; decided when deliveries are created).
- `render(event: dict, *, secret: str, delivery_id: str, attempt: int, now: float) -> Rendered`.
"""

from types import ModuleType

from webhooks.renderers import native, sasha
from webhooks.renderers.base import Rendered

RENDERERS: dict[str, ModuleType] = {"native": native, "sasha": sasha}

__all__ = ["RENDERERS", "Rendered", "formats_accepting", "renderer_for"]


def renderer_for(format: str) -> ModuleType:
    return RENDERERS[format]


def formats_accepting(event_type: str) -> list[str]:
    return [name for name, renderer in RENDERERS.items() if renderer.accepts(event_type)]
