"""Payloads held to the catalogue: a check cheap enough for every caption, and JSON Schemas for the docs.

The check looks at the payload's own fields: every one known, of its declared type, every required
one present. Nested values (a segment's words, talk-time shares) are only checked to be lists or
dicts; their shapes are documented by the schemas. A caption's check costs 2 to 5 µs.
"""

import types
import typing
from typing import Any, NotRequired, Required, is_typeddict

from meetings.events.catalogue import CATALOGUE


class EventPayloadError(ValueError):
    """A publish that does not match the event catalogue (raised outside production)."""


def _runtime_types(annotation) -> tuple[type, ...]:
    """The classes a value of this annotation may have once it is plain JSON-able Python."""
    origin = typing.get_origin(annotation)
    if origin in (Required, NotRequired):
        return _runtime_types(typing.get_args(annotation)[0])
    if origin in (types.UnionType, typing.Union):
        return tuple(t for arg in typing.get_args(annotation) for t in _runtime_types(arg))
    if annotation is None or annotation is type(None):
        return (type(None),)
    if annotation is float:
        return (float, int)  # JSON has one number type; 1 is a fine confidence
    if is_typeddict(annotation) or annotation is dict or origin is dict:
        return (dict,)
    if origin is list or annotation is list:
        return (list,)
    if annotation in (str, int, bool):
        return (annotation,)
    raise TypeError(f"Unsupported payload annotation {annotation!r}")


def _compile(payload: type) -> tuple[dict[str, tuple[type, ...]], frozenset[str]]:
    hints = typing.get_type_hints(payload)
    return {name: _runtime_types(hint) for name, hint in hints.items()}, frozenset(payload.__required_keys__)


_CHECKS = {name: (spec.scope, *_compile(spec.payload)) for name, spec in CATALOGUE.items()}


def payload_problem(type: str, payload: Any, scope: str) -> str | None:
    """What is wrong with publishing this payload as `type` in a `scope` ("meeting"/"organization")
    log, or None when it matches the catalogue."""
    check = _CHECKS.get(type)
    if check is None:
        return f"unknown event type {type!r}"
    expected_scope, fields, required = check
    if scope != expected_scope:
        return f"{type} is a {expected_scope} event, published as a {scope} event"
    if payload.__class__ is not dict:
        return f"{type} payload must be a dict, not {payload.__class__.__name__}"
    for name, value in payload.items():
        accepted = fields.get(name)
        if accepted is None:
            return f"{type} payload has a field the catalogue does not list: {name!r}"
        # bool is an int to isinstance, not to a reader of the JSON.
        if not isinstance(value, accepted) or (value.__class__ is bool and bool not in accepted):
            return f"{type} payload field {name!r} is a {value.__class__.__name__}, not {_names(accepted)}"
    if not required <= payload.keys():
        return f"{type} payload lacks {', '.join(sorted(required - payload.keys()))}"
    return None


def _names(accepted: tuple[type, ...]) -> str:
    return " or ".join("null" if t is type(None) else t.__name__ for t in accepted)


def json_schema(annotation) -> dict:
    """JSON Schema (OpenAPI 3.1) of a payload TypedDict or of one of its fields' annotations."""
    origin = typing.get_origin(annotation)
    if origin in (Required, NotRequired):
        return json_schema(typing.get_args(annotation)[0])
    if origin in (types.UnionType, typing.Union):
        options = [json_schema(arg) for arg in typing.get_args(annotation)]
        if all(set(option) == {"type"} for option in options):
            return {"type": [option["type"] for option in options]}
        return {"anyOf": options}
    if annotation is None or annotation is type(None):
        return {"type": "null"}
    if is_typeddict(annotation):
        hints = typing.get_type_hints(annotation)
        return {
            "type": "object",
            "properties": {name: json_schema(hint) for name, hint in hints.items()},
            "required": [name for name in hints if name in annotation.__required_keys__],
            "additionalProperties": False,
        }
    if origin is list:
        return {"type": "array", "items": json_schema(typing.get_args(annotation)[0])}
    simple = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object", list: "array"}
    if annotation in simple:
        return {"type": simple[annotation]}
    raise TypeError(f"Unsupported payload annotation {annotation!r}")


def fields_summary(payload: type) -> str:
    """The payload's fields in a line of Markdown, as docs/events.md lists them under each type."""
    hints = typing.get_type_hints(payload)
    parts = []
    for name, hint in hints.items():
        optional = "" if name in payload.__required_keys__ else ", optional"
        parts.append(f"`{name}` {_kind(hint)}{optional}")
    return "Fields: " + "; ".join(parts) + "."


def _kind(annotation) -> str:
    schema = json_schema(annotation)
    kinds = schema["type"] if isinstance(schema.get("type"), list) else [schema.get("type", "object")]
    words = []
    for kind in kinds:
        items = schema.get("items", {})
        if kind == "array" and "properties" in items:
            words.append("array of {" + ", ".join(f"`{field}`" for field in items["properties"]) + "}")
        elif kind == "array" and "items" in schema:
            words.append(f"array of {schema['items']['type']}s")
        else:
            words.append(kind)
    return " or ".join(words)
