"""Schemathesis hooks of the API fuzz test (tests/test_fuzz_api.py): the rules an OpenAPI schema cannot
state, applied to the cases that are meant to be valid and nothing else.

The schema says every type, range, enum, pattern and which fields exist; the server refuses anything
else with a 400, and the fuzzer checks that it does. A few rules depend on the time, on the server's
state or configuration, or tie two fields together; a request that breaks one is refused (400, 409) as
it should be, but the fuzzer, reading only the schema, would take that refusal for an API refusing
valid data. For cases generated as valid, this hook makes those few values what a real client sends:

- a bot told to speak says one text, in a voice espeak-ng has (the schema cannot say "exactly one of");
- a picture uploaded as a bot's camera is a picture (the schema can only say "binary"), and a camera
  by URL is turned off instead (a generated URI is often one Django's URL check refuses);
- a bot's `meeting_url` is the join link of a meeting platform (what parse_meeting_url accepts is not
  a regular expression), and its `join_at` is in the future;
- `transcription` (and an import's or re-transcription's backend, model, language): a model this server
  has, a language that model transcribes, no model with the captions backend;
- the organization's default transcription (`PUT /api/v1/transcription_default`): as above, model and
  language only with a backend, and not `captions` (a captions default makes a later bot that gives a
  model but no backend a 400, which the fuzzer, reading one request at a time, cannot know);
- `cursor` is a token only the API hands out (in `next` / `previous` links);
- an `Idempotency-Key` is new for each new request (the fuzzer's few short values would collide, and
  a key reused for another request is refused with a 422 by design);
- an import sends `file_url` (made-up bytes in a `file` are no audio);
- text holds no NUL character: the schema says so of every named string, not inside free-form JSON
  such as `metadata`;
- a sasha, meetstream or meemo webhook subscribes to the event types that format carries;
- a chat message (a bot's, a simulated participant's) goes to everyone: `to` must name someone in the
  meeting, on a platform whose chat has private messages (tests/test_bot_in_call_api.py checks both);
- a simulated meeting's script is spoken by its participants (unique names, voices espeak-ng has,
  leaving after joining), and text is not only spaces.

Cases generated as invalid are left alone: the server must refuse every one of them.
"""

import random
import struct
import uuid
import zlib
from datetime import UTC, datetime, timedelta

import schemathesis

from webhooks.renderers import RENDERERS

SASHA_TYPES = {
    "bot.status_changed",
    "caption_partial",
    "segment_finalized",
    "coach_insight",
    "participant_joined",
    "participant_left",
    "document_saved",
}
MULTILINGUAL = "base"


def _meeting_url() -> str:
    # A fresh meeting each time: the same URL twice within the deduplication window is a 409 by design.
    return f"https://zoom.us/j/{random.randrange(10**9, 10**11)}"


def _future() -> str:
    later = datetime.now(UTC) + timedelta(days=1, seconds=random.randrange(10**6))
    return later.isoformat().replace("+00:00", "Z")


def _transcription(options: dict) -> dict:
    options = dict(options)
    backend = options.get("backend") or "faster-whisper"
    if backend == "captions":
        options.pop("model", None)
        return options
    if backend in ("openai-compatible", "deepgram", "assemblyai"):
        return options  # configured on the fuzzed server; any model name is the remote's or the provider's
    if "model" in options and options["model"] not in ("tiny.en", MULTILINGUAL):
        options["model"] = MULTILINGUAL
    if options.get("language") not in (None, "en", "auto") and options.get("model", "tiny.en") == "tiny.en":
        options["model"] = MULTILINGUAL
    return options


def _name(value, index: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    return text if text else f"Person {index}"


def _scenario(scenario: dict) -> dict:
    scenario = dict(scenario)
    people, names = [], []
    for i, person in enumerate(scenario.get("participants") or []):
        person = {**person, "name": _name(person.get("name"), i)}
        while person["name"] in names:
            person["name"] = f"{person['name'][:70]} {len(names)}"
        person["voice"] = "en-us"
        joins = person.get("joins_at_s", 0)
        if person.get("leaves_at_s") is not None and person["leaves_at_s"] <= joins:
            person["leaves_at_s"] = None
        names.append(person["name"])
        people.append(person)
    if "participants" in scenario:
        scenario["participants"] = people
    lines = []
    for line in scenario.get("script") or []:
        if not names:
            break
        lines.append({**line, "speaker": random.choice(names), "text": line["text"].strip() or "Hello."})
    if "script" in scenario:
        scenario["script"] = lines
    return scenario


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


def _png() -> bytes:
    """A real picture (1x1, white), for a camera upload the schema can only call "binary"."""
    row = b"\x00\xff\xff\xff"
    chunk = lambda kind, data: (  # noqa: E731
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    )
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row)) + chunk(b"IEND", b"")


def _repair_body(method: str, path: str, body):
    if path == "/api/v1/bots/{bot_id}/speak" and method == "POST":
        # One source of audio, a text in a voice espeak-ng has (a file by base64 or URL is no audio here);
        # also when the generated case sent no body at all.
        text = body.get("text") if isinstance(body, dict) else None
        return {"text": str(text or "Hello.").strip() or "Hello.", "voice": "en-us"}
    if not isinstance(body, dict):
        return body
    body = _without_nul(body)
    if path in ("/api/v1/bots", "/api/v1/bots/{bot_id}"):
        if "meeting_url" in body:
            body["meeting_url"] = _meeting_url()
        if body.get("join_at") is not None:
            body["join_at"] = _future()
        if isinstance(body.get("transcription"), dict):
            body["transcription"] = _transcription(body["transcription"])
    elif path == "/api/v1/meetings" and method == "POST":
        body.update(_transcription({k: body[k] for k in ("backend", "model", "language") if k in body}))
        # Made-up bytes are no audio; real uploads are covered by the import tests.
        body.pop("file", None)
        body.setdefault("file_url", "https://files.example.com/call.wav")
    elif path == "/api/v1/transcription_default":
        if body.get("backend") == "captions":
            body["backend"] = "faster-whisper"
        if body.get("backend") is None:
            body = {"backend": None}
        else:
            body.update(_transcription(body))
    elif path == "/api/v1/meetings/{meeting_id}/retranscribe":
        body.update(_transcription(body))
    elif path in ("/api/v1/webhooks", "/api/v1/webhooks/{endpoint_id}") and body.get("format") == "sasha":
        if "event_types" in body:
            body["event_types"] = [t for t in body["event_types"] if t in SASHA_TYPES]
    elif path in ("/api/v1/webhooks", "/api/v1/webhooks/{endpoint_id}") and body.get("format") in RENDERERS:
        if "event_types" in body:
            # A vendor's format carries only the event types it has a word for.
            body["event_types"] = [t for t in body["event_types"] if RENDERERS[body["format"]].accepts(t)]
    elif path == "/simulator/api/meetings" and isinstance(body.get("scenario"), dict):
        body["scenario"] = _scenario(body["scenario"])
    elif path == "/simulator/api/meetings/{meeting_id}/participants":
        body["name"] = _name(body.get("name"), 0)
        body.pop("voice", None)
    elif path == "/simulator/api/meetings/{meeting_id}/say" and isinstance(body.get("text"), str):
        body["text"] = body["text"].strip() or "Hello."
    elif path in ("/api/v1/bots/{bot_id}/chat", "/simulator/api/meetings/{meeting_id}/chat"):
        body.pop("to", None)
    elif path == "/api/v1/bots/{bot_id}/camera":
        if "image" in body:
            body["image"] = _png()  # made-up bytes (or none) are no picture
        if body.get("image_url") is not None:
            # A generated URI is often one Django's URL check refuses; null (camera off) is always valid.
            body["image_url"] = None
    return body


def _declared_fields(case) -> set[str] | None:
    """The properties the operation's request schema names for the case's media type."""
    components = case.operation.schema.raw_schema.get("components", {}).get("schemas", {})
    for body in case.operation.body:
        if body.media_type == case.media_type:
            schema = body.definition.get("schema", {})
            if "$ref" in schema:
                schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
            return set(schema.get("properties", {}))
    return None


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    if "Idempotency-Key" in case.headers:
        # A client sends a new key with each new request; the fuzzer's few short keys would collide.
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    declared = _declared_fields(case)
    if declared is not None and isinstance(case.body, dict) and set(case.body) - declared:
        # Seen in the coverage phase: a case marked valid that carries a property its closed schema
        # does not name (once "error", a name from the error answers). It is not valid; it is trimmed.
        case.body = {k: v for k, v in case.body.items() if k in declared}
    if case.query and "cursor" in case.query:
        case.query = {k: v for k, v in case.query.items() if k != "cursor"}
    repaired = _repair_body(case.method.upper(), case.path, case.body)
    if repaired is not case.body and repaired != case.body:
        case.body = repaired
    return case
