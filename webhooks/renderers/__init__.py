"""Webhook formats. Each module renders one MeetingEvent (as `event_to_dict` gives it) into a body and
signed headers; adding a format is one module here, its name in `RENDERERS` and in
`WebhookEndpoint.Format`. A vendor dialect's callback format lives with its dialect (compat/<vendor>/
renderer.py) and joins with `renderer_register` when the app starts.

A renderer module provides:

- `accepts(event_type: str) -> bool`: whether the format carries this event type at all (a format
  that has no word for an event never receives it; decided when deliveries are created).
- `render(event: dict, *, secret: str, delivery_id: str, attempt: int, now: float) -> Rendered`.
"""

from types import ModuleType

from webhooks.renderers import native
from webhooks.renderers.base import Rendered

RENDERERS: dict[str, ModuleType] = {"native": native}

__all__ = ["RENDERERS", "Rendered", "formats_accepting", "renderer_for", "renderer_register"]


def renderer_register(format: str, module: ModuleType) -> None:
    RENDERERS[format] = module


def renderer_for(format: str) -> ModuleType:
    return RENDERERS[format]


def formats_accepting(event_type: str) -> list[str]:
    return [name for name, renderer in RENDERERS.items() if renderer.accepts(event_type)]
