"""The event catalogue: what publish accepts, what the docs and the OpenAPI schema say, and that the
events package stands alone."""

import ast
import json
import logging
import re
import statistics
import time
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from meetings.events import ALIASES, CATALOGUE, EventPayloadError, EventType, publish, publish_organization_event
from meetings.events.checks import fields_summary, json_schema, payload_problem
from meetings.models import MeetingEvent
from tests.factories import MeetingFactory, event_data
from webhooks.models import WebhookDelivery

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*$")


def test_every_type_is_named_noun_dot_what_happened_and_keeps_its_constant():
    assert EventType.ALL == tuple(CATALOGUE)
    assert all(NAME.fullmatch(t) for t in EventType.ALL), EventType.ALL
    assert EventType.SEGMENT_FINALIZED == "segment.finalized" and EventType.BOT_CREATED == "bot.created"
    constants = {v for k, v in vars(EventType).items() if k.isupper() and k != "ALL"}
    assert constants == set(EventType.ALL)


def test_old_names_are_aliases_of_current_types_only():
    assert ALIASES["segment_finalized"] == "segment.finalized" and ALIASES["participant_joined"] == "participant.joined"
    assert set(ALIASES.values()) <= set(EventType.ALL)
    assert not set(ALIASES) & set(EventType.ALL)
    assert ALIASES["chat_message"] == "chat.message"


@pytest.mark.parametrize("event_type", EventType.ALL)
def test_each_example_matches_its_schema_and_the_check(event_type):
    spec = CATALOGUE[event_type]
    assert spec.description and spec.example
    assert payload_problem(event_type, spec.example, spec.scope) is None
    schema = json_schema(spec.payload)
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema).validate(spec.example)
    required = [name for name in schema["required"] if name in spec.example]
    if required:
        broken = {k: v for k, v in spec.example.items() if k != required[0]}
        assert payload_problem(event_type, broken, spec.scope) is not None
        assert not Draft202012Validator(schema).is_valid(broken)


@pytest.mark.parametrize(
    ("event_type", "payload", "problem"),
    [
        ("chat_message", {"text": "hi"}, "unknown event type 'chat_message'"),
        ("participant_joined", event_data(EventType.PARTICIPANT_JOINED), "unknown event type"),
        (EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, text=None), "field 'text' is a NoneType"),
        (EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, start_ms=True), "'start_ms' is a bool"),
        (EventType.CAPTION_PARTIAL, event_data(EventType.CAPTION_PARTIAL, colour="red"), "does not list: 'colour'"),
        (EventType.CAPTION_PARTIAL, {"text": "Good"}, "lacks end_ms, is_final, language, participant_id"),
        (EventType.BOT_CREATED, event_data(EventType.BOT_CREATED), "is a organization event"),
    ],
)
def test_publish_refuses_what_the_catalogue_does_not_say(db, event_type, payload, problem):
    meeting = MeetingFactory()
    with pytest.raises(EventPayloadError, match=re.escape(problem)):
        publish(meeting, event_type, payload)
    assert not MeetingEvent.objects.exists()


def test_an_organization_event_must_be_one(db):
    meeting = MeetingFactory()
    with pytest.raises(EventPayloadError, match="is a meeting event"):
        publish_organization_event(meeting.organization_id, EventType.SEGMENT_FINALIZED, {})
    assert not MeetingEvent.objects.exists()


def test_in_production_a_mismatch_is_logged_once_and_the_event_still_goes_out(db, settings, caplog):
    settings.IS_PRODUCTION = True
    meeting = MeetingFactory()
    from webhooks.services import endpoint_create

    endpoint = endpoint_create(organization=meeting.organization, url="https://hooks.example.com/a")
    with caplog.at_level(logging.ERROR, logger="meetings.events.outbox"):
        first = publish(meeting, EventType.COACH_INSIGHT, {"category": "pace", "text": "Slow down"})
        second = publish(meeting, EventType.COACH_INSIGHT, {"category": "pace", "text": "Slower"})
    assert [first.sequence, second.sequence] == [1, 2]
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2
    logged = [r.getMessage() for r in caplog.records if "catalogue" in r.getMessage()]
    assert len(logged) == 1 and "coach.insight" in logged[0]


def test_the_check_costs_microseconds():
    """Every caption goes through it; its figure on this machine is printed for the record."""
    caption = event_data(EventType.CAPTION_PARTIAL)
    rounds = []
    for _ in range(20):
        started = time.perf_counter()
        for _ in range(1000):
            payload_problem(EventType.CAPTION_PARTIAL, caption, "meeting")
        rounds.append((time.perf_counter() - started) / 1000 * 1e6)
    median_us = statistics.median(rounds)
    print(f"payload check of a caption: median {median_us:.1f} µs")
    # Generous for a shared machine: the point is microseconds, not milliseconds.
    assert median_us < 50


def test_a_subscription_by_old_name_receives_the_renamed_events(api):
    created = api.post(
        "/api/v1/webhooks",
        {"url": "https://hooks.example.com/old", "event_types": ["participant_joined", "participant.joined"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["event_types"] == ["participant.joined"]
    meeting = MeetingFactory(organization=api.organization)
    joined = publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED))
    publish(meeting, EventType.PARTICIPANT_LEFT, event_data(EventType.PARTICIPANT_LEFT))
    assert list(WebhookDelivery.objects.values_list("event_id", flat=True)) == [joined.id]


def test_chat_message_is_subscribed_to_by_its_old_name(api):
    response = api.post(
        "/api/v1/webhooks", {"url": "https://hooks.example.com/c", "event_types": ["chat_message"]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["event_types"] == ["chat.message"]


def _doc_sections(text: str) -> dict[str, str]:
    """`### \\`type\\`` heading -> its section, up to the next heading."""
    parts = re.split(r"^(#{2,3} .*)$", text, flags=re.M)
    return {
        match.group(1): body
        for heading, body in zip(parts[1::2], parts[2::2], strict=True)
        if (match := re.fullmatch(r"### `([a-z_.]+)`", heading))
    }


def test_docs_list_exactly_the_catalogue_with_fields_and_an_example_each():
    text = (ROOT / "docs" / "events.md").read_text()
    sections = _doc_sections(text)
    assert list(sections) == list(EventType.ALL)
    for event_type, section in sections.items():
        spec = CATALOGUE[event_type]
        examples = re.findall(r"```json\n(.*?)\n```", section, flags=re.S)
        assert [json.loads(e) for e in examples] == [spec.example], event_type
        assert fields_summary(spec.payload) in section, event_type
        assert spec.description in " ".join(section.split()), event_type
        assert ("Not published yet" in section) is (not spec.published), event_type
    aliases = dict(re.findall(r"^\| `([a-z_]+)` \| `([a-z_.]+)` \|$", text, flags=re.M))
    assert aliases == ALIASES


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_events_package_imports_no_other_notula_app():
    apps = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"meetings"}
    assert {"webhooks", "accounts", "bots", "dashboard", "common"} <= apps
    files = sorted((ROOT / "meetings" / "events").glob("*.py"))
    assert {f.name for f in files} >= {"__init__.py", "catalogue.py", "outbox.py", "fanout.py"}
    for path in files:
        foreign = {name for name in _imports(path) if name.split(".")[0] in apps}
        assert not foreign, f"{path.name} imports {foreign}"
        # Only the package itself and the app's models, nothing else of meetings either.
        own = {name for name in _imports(path) if name.split(".")[0] == "meetings"}
        assert all(name.startswith("meetings.events") or name == "meetings.models" for name in own), own


def test_webhooks_joins_every_publish_through_its_fanout():
    from meetings.events.fanout import fanouts
    from webhooks.fanout import WebhookFanout

    assert [type(f) for f in fanouts()] == [WebhookFanout]


def test_bots_reach_webhooks_only_through_its_services():
    for path in sorted((ROOT / "bots").rglob("*.py")):
        webhooks = {name for name in _imports(path) if name.split(".")[0] == "webhooks"}
        assert webhooks <= {"webhooks.services", "webhooks.ssrf"}, f"{path.relative_to(ROOT)} imports {webhooks}"
