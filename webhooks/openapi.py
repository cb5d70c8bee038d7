"""The OpenAPI 3.1 `webhooks` section: one entry per event type of the catalogue, as a native-format
webhook delivers it (the envelope with the type's payload schema as `data`, the Standard Webhooks
headers, an example). Registered as a drf-spectacular postprocessing hook."""

from meetings.events import CATALOGUE
from meetings.events.checks import json_schema

_HEADERS = [
    ("webhook-id", "the event id: the same on every retry and redelivery; deduplicate on it"),
    ("webhook-timestamp", "seconds since the Unix epoch, the time of this attempt"),
    ("webhook-signature", 'v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">'),
]
_BOT = "bot_9Jd3kL0pQ2wE5rT8yU1iO4"


def _envelope(event_type: str, scope: str, data_ref: str) -> dict:
    if scope == "meeting":
        owner = {"meeting_id": {"type": "string"}}
        sequence = "gapless per meeting, from 1"
    else:
        owner = {
            "organization_id": {"type": "string"},
            "meeting_id": {"type": "null", "description": "an organization event belongs to no meeting"},
        }
        sequence = "gapless per organization, from 1"
    properties = {
        "id": {"type": "string", "description": "evt_...; the same as the webhook-id header"},
        "type": {"const": event_type},
        **owner,
        "bot_id": {"type": ["string", "null"]},
        "sequence": {"type": "integer", "description": sequence},
        "created_at": {"type": "string", "format": "date-time"},
        "data": {"$ref": data_ref},
    }
    return {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}


def _example(event_type: str, scope: str, data: dict) -> dict:
    if scope == "meeting":
        owner = {"meeting_id": "mtg_6Qm0aPzL2kX8cV1bN5eR3t"}
    else:
        owner = {"organization_id": "org_2Wm5nB8vC1xZ4lK7jH0gF3", "meeting_id": None}
    return {
        "id": "evt_2b8Zq1x0Yh3mK9pQ4rT7vW",
        "type": event_type,
        **owner,
        "bot_id": _BOT if scope == "meeting" else data.get("bot_id"),
        "sequence": 42,
        "created_at": "2026-11-21T14:30:00.123456Z",
        "data": data,
    }


def _description(spec) -> str:
    text = spec.description
    if spec.scope == "organization":
        text += (
            " An organization event: in `GET /api/v1/events` and `/ws/v1/events`, sent to organization-wide endpoints."
        )
    if not spec.published:
        text += " Not published yet: listed so that endpoints can subscribe ahead."
    if spec.alias:
        text += f" Called `{spec.alias}` before; that name is still accepted in `event_types`."
    return text


def add_event_webhooks(result, generator, request, public):
    """drf-spectacular postprocessing hook: the `webhooks` section and the payload schemas it refers to."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    webhooks = {}
    for event_type, spec in CATALOGUE.items():
        name = f"EventData{spec.payload.__name__}"
        schemas[name] = json_schema(spec.payload)
        webhooks[event_type] = {
            "post": {
                "operationId": "event_" + event_type.replace(".", "_"),
                "summary": event_type,
                "description": _description(spec),
                "tags": ["events"],
                "parameters": [
                    {
                        "in": "header",
                        "name": header,
                        "required": True,
                        "schema": {"type": "string"},
                        "description": text,
                    }
                    for header, text in _HEADERS
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": _envelope(event_type, spec.scope, f"#/components/schemas/{name}"),
                            "example": _example(event_type, spec.scope, spec.example),
                        }
                    },
                },
                "responses": {
                    "2XX": {"description": "Received. Any other answer, or none in time, is retried with backoff."}
                },
            }
        }
    result["webhooks"] = webhooks
    return result
