"""Scenario validation: a scenario from the API becomes a normalized dict or a 400 naming the field.

Format (every key optional except a participant's name and a line's speaker, and its text or clip)::

    {"title": "Weekly planning", "access": "open" | "blocked" | "login_required" | "captcha" | "unknown_page",
     "lobby": {"policy": "admit" | "deny" | "never" | "not_started", "after_s": 2}, "captions": true,
     "participants": [{"name": "Alice Smith", "voice": "en-us", "joins_at_s": 0, "leaves_at_s": null}],
     "script": [{"at_s": 3, "speaker": "Alice Smith", "text": "Good morning everyone."},
                {"at_s": 6, "speaker": "Alice Smith", "audio_url": "https://example.com/hello.mp3"},
                {"at_s": 9, "speaker": "Alice Smith", "audio": "<a multipart part's name>", "text": "..."}],
     "ends_at_s": 60, "page_changes": ["name_field_renamed"],
     "recording_permission": {"policy": "grant" | "deny" | "never", "after_s": 1}}

Times are seconds on the meeting clock, which starts (t=0) when the bot is admitted, so a script plays
the same whatever the bot's join time; `lobby.after_s` counts from the bot's request to join.
A line with a clip (`audio_url` or an uploaded `audio`) plays the recording; its text, optional, is what
the captions show and what a transcript is compared with.
"""

import json
import math
import re
from pathlib import Path
from typing import Any

from common.errors import ValidationError
from simulator.clips import clip_store
from simulator.tts import voice_is_known

ACCESS = ("open", "blocked", "login_required", "captcha", "unknown_page")
POLICIES = ("admit", "deny", "never", "not_started")
MAX_PARTICIPANTS = 50
MAX_LINES = 500
MAX_TEXT = 500
MAX_NAME = 80
MAX_TIME_S = 24 * 3600
NAME_RE = re.compile(r"^[^\x00-\x1f<>]{1,80}$")
SCENARIO_KEYS = {
    "title",
    "access",
    "lobby",
    "captions",
    "participants",
    "script",
    "ends_at_s",
    "page_changes",
    "recording_permission",
}
RECORDING_POLICIES = ("grant", "deny", "never")
# A redesign of the pre-join screen: the name field's usual selector gone (its fallback still there),
# or every selector an adapter knows gone.
PAGE_CHANGES = ("name_field_renamed", "name_field_removed")
LOBBY_KEYS = {"policy", "after_s"}
PARTICIPANT_KEYS = {"name", "voice", "joins_at_s", "leaves_at_s", "is_host"}
LINE_KEYS = {"at_s", "speaker", "text", "audio_url", "audio"}
MAX_URL = 2000


def _no_unknown_keys(item: dict, known: set[str], field: str) -> None:
    unknown = sorted(set(item) - known)
    if unknown:
        _fail(f"{field}.{unknown[0]}", f"unknown key; use {sorted(known)}")


def _fail(field: str, message: str):
    raise ValidationError(f"Invalid scenario: {field}: {message}", fields={field: [message]})


def _number(value: Any, field: str, *, allow_null: bool = False, minimum: float = 0.0) -> float | None:
    if value is None and allow_null:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _fail(field, "must be a number of seconds" + (" or null" if allow_null else ""))
    if value < minimum or value > MAX_TIME_S:
        _fail(field, f"must be between {minimum:g} and {MAX_TIME_S}")
    return float(value)


def validate_name(name: Any, field: str) -> str:
    if not isinstance(name, str) or not name.strip():
        _fail(field, "a non-empty name is required")
    name = name.strip()
    if len(name) > MAX_NAME or not NAME_RE.match(name):
        _fail(field, f"at most {MAX_NAME} characters, no control characters or angle brackets")
    return name


def validate_voice(voice: Any, field: str, *, allow_default: bool = True) -> str:
    """An espeak-ng voice; None means the default where `allow_default` (a form left empty)."""
    if voice is None and allow_default:
        return "en-us"
    if not isinstance(voice, str) or not voice_is_known(voice):
        _fail(field, "an espeak-ng voice such as 'en-us', 'en-gb' or 'en-us+f3'")
    return voice


def validate_text(text: Any, field: str) -> str:
    if not isinstance(text, str) or not text.strip():
        _fail(field, "a non-empty text is required")
    if len(text) > MAX_TEXT:
        _fail(field, f"at most {MAX_TEXT} characters")
    return text.strip()


def _participants(raw: Any) -> list[dict]:
    if not isinstance(raw, list):
        _fail("scenario.participants", "must be a list")
    if len(raw) > MAX_PARTICIPANTS:
        _fail("scenario.participants", f"at most {MAX_PARTICIPANTS} participants")
    people, seen = [], set()
    for i, item in enumerate(raw):
        field = f"scenario.participants[{i}]"
        if not isinstance(item, dict):
            _fail(field, "must be an object with a name")
        _no_unknown_keys(item, PARTICIPANT_KEYS, field)
        name = validate_name(item.get("name"), f"{field}.name")
        if name in seen:
            _fail(f"{field}.name", f"'{name}' appears twice")
        seen.add(name)
        joins = _number(item.get("joins_at_s", 0), f"{field}.joins_at_s")
        leaves = _number(item.get("leaves_at_s"), f"{field}.leaves_at_s", allow_null=True)
        if leaves is not None and leaves <= joins:
            _fail(f"{field}.leaves_at_s", "must be after joins_at_s")
        is_host = item.get("is_host", i == 0)
        if not isinstance(is_host, bool):
            _fail(f"{field}.is_host", "must be true or false")
        people.append(
            {
                "name": name,
                "voice": validate_voice(item.get("voice", "en-us"), f"{field}.voice", allow_default=False),
                "joins_at_s": joins,
                "leaves_at_s": leaves,
                "is_host": is_host,
            }
        )
    return people


def _clip(item: dict, field: str, uploads: dict[str, bytes], used: set[str]) -> dict:
    """The line's clip, decoded and stored ({} for a text-to-speech line)."""
    url, part = item.get("audio_url"), item.get("audio")
    if url is not None and part is not None:
        _fail(f"{field}.audio", "give one of audio_url and audio, not both")
    if url is not None:
        if not isinstance(url, str) or not url or len(url) > MAX_URL:
            _fail(f"{field}.audio_url", f"an http(s) URL of at most {MAX_URL} characters")
        return clip_store(field=f"{field}.audio_url", url=url) | {"audio_url": url}
    if part is not None:
        if not isinstance(part, str) or part not in uploads:
            _fail(f"{field}.audio", f"the name of a file part of this multipart request (sent: {sorted(uploads)})")
        used.add(part)
        return clip_store(field=f"{field}.audio", data=uploads[part]) | {"audio": part}
    return {}


def _script(raw: Any, names: set[str], uploads: dict[str, bytes]) -> list[dict]:
    if not isinstance(raw, list):
        _fail("scenario.script", "must be a list")
    if len(raw) > MAX_LINES:
        _fail("scenario.script", f"at most {MAX_LINES} lines")
    lines, used = [], set()
    for i, item in enumerate(raw):
        field = f"scenario.script[{i}]"
        if not isinstance(item, dict):
            _fail(field, "must be an object with at_s, speaker and text (or a clip: audio_url or audio)")
        _no_unknown_keys(item, LINE_KEYS, field)
        speaker = item.get("speaker")
        if not isinstance(speaker, str) or speaker not in names:
            _fail(f"{field}.speaker", "must be the name of one of the participants")
        at_s = _number(item.get("at_s"), f"{field}.at_s")
        clip = _clip(item, field, uploads, used)
        # A clip's text is optional (what was said, for captions and WER); a spoken line's is what is said.
        text = item.get("text")
        text = "" if clip and text is None else validate_text(text, f"{field}.text")
        lines.append({"at_s": at_s, "speaker": speaker, "text": text, **clip})
    unused = sorted(set(uploads) - used)
    if unused:
        _fail(unused[0], "a file no line of scenario.script plays (name it in a line's audio)")
    return sorted(lines, key=lambda line: line["at_s"])


def scenario_normalize(raw: Any, uploads: dict[str, bytes] | None = None) -> dict:
    """The scenario with defaults filled in and its clips decoded (`uploads`: a multipart request's files
    by part name); raises ValidationError naming the first bad field."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        _fail("scenario", "must be an object")
    unknown = sorted(set(raw) - SCENARIO_KEYS)
    if unknown:
        _fail(f"scenario.{unknown[0]}", f"unknown key; use {sorted(SCENARIO_KEYS)}")
    title = raw.get("title", "Simulated meeting")
    if not isinstance(title, str) or len(title) > 200:
        _fail("scenario.title", "a string of at most 200 characters")
    access = raw.get("access", "open")
    if access not in ACCESS:
        _fail("scenario.access", f"one of {list(ACCESS)}")
    lobby = raw.get("lobby")
    lobby = {} if lobby is None else lobby
    if not isinstance(lobby, dict):
        _fail("scenario.lobby", 'must be an object like {"policy": "admit", "after_s": 2}')
    _no_unknown_keys(lobby, LOBBY_KEYS, "scenario.lobby")
    policy = lobby.get("policy", "admit")
    if policy not in POLICIES:
        _fail("scenario.lobby.policy", f"one of {list(POLICIES)}")
    after_s = _number(lobby.get("after_s", 0), "scenario.lobby.after_s")
    captions = raw.get("captions", True)
    if not isinstance(captions, bool):
        _fail("scenario.captions", "must be true or false")
    people = _participants(raw.get("participants", []))
    script = _script(raw.get("script", []), {p["name"] for p in people}, uploads or {})
    ends_at_s = _number(raw.get("ends_at_s"), "scenario.ends_at_s", allow_null=True, minimum=0.1)
    recording = raw.get("recording_permission")
    if recording is not None:
        if not isinstance(recording, dict) or recording.get("policy", "grant") not in RECORDING_POLICIES:
            _fail(
                "scenario.recording_permission",
                f'like {{"policy": "grant", "after_s": 1}}, policy one of {list(RECORDING_POLICIES)}',
            )
        recording = {
            "policy": recording.get("policy", "grant"),
            "after_s": _number(recording.get("after_s", 0), "scenario.recording_permission.after_s"),
        }
    changes = raw.get("page_changes", [])
    if not isinstance(changes, list) or any(change not in PAGE_CHANGES for change in changes):
        _fail("scenario.page_changes", f"a list of {list(PAGE_CHANGES)}")
    return {
        "title": title,
        "access": access,
        "lobby": {"policy": policy, "after_s": after_s},
        "captions": captions,
        "participants": people,
        "script": script,
        "ends_at_s": ends_at_s,
        "page_changes": changes,
        "recording_permission": recording,
    }


DEMO_SCENARIO = Path(__file__).resolve().parent / "scenarios" / "demo.json"


def demo_scenario() -> dict:
    """Three participants talking for about 40 s (the meeting `make demo` creates)."""
    return json.loads(DEMO_SCENARIO.read_text())
