"""The OpenAPI schema is valid, and every operation's real answers (success and errors) match it."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate as validate_spec
from rest_framework.test import APIClient

from accounts.authentication import ApiKeyRateThrottle
from bots.models import Bot
from meetings.chat import chat_message_record
from meetings.events import CATALOGUE, EventType, publish
from meetings.models import Meeting, ParticipantEvent, Recording
from tests.factories import BotFactory, MeetingFactory, ParticipantFactory, SegmentFactory, event_data
from tests.zoom_server import ZoomServer
from webhooks.delivery import stream_run
from webhooks.models import WebhookDelivery
from webhooks.receiver import Receiver

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def spec(anon) -> dict:
    response = anon.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    spec = json.loads(response.content)
    validate_spec(spec)
    return spec


def _declared(spec: dict) -> set[tuple]:
    """(method, path template, status, media type or None) for every response the schema declares."""
    declared = set()
    for path, item in spec["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method in METHODS:
            for status, response in item.get(method, {}).get("responses", {}).items():
                for media in response.get("content") or [None]:
                    declared.add((method, path, status, media))
    return declared


class Recorder:
    def __init__(self, spec: dict):
        # The transcript's text formats are text; openapi-core knows only text/plain of them.
        text = {
            media: lambda data, **kwargs: data.decode()
            for media in ("application/x-subrip", "text/vtt", "text/markdown")
        }
        self.openapi = OpenAPI.from_dict(spec, config=Config(extra_media_type_deserializers=text))
        self.seen: set[tuple] = set()

    def check(self, response, *, status: int | None = None, validate_request: bool = False):
        if status is not None:
            assert response.status_code == status, response.content
        request = DjangoOpenAPIRequest(response.wsgi_request)
        if validate_request:
            self.openapi.validate_request(request)
        self.openapi.validate_response(request, DjangoOpenAPIResponse(response))
        media = response.get("Content-Type", "").split(";")[0] or None
        if response.status_code == 204 or not response.content:
            media = None
        self.seen.add((request.method, request.path_pattern, str(response.status_code), media))
        return response


def test_schema_is_openapi_3_and_documents_every_endpoint(spec):
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    assert {
        "/api/v1/bots",
        "/api/v1/bots/{bot_id}",
        "/api/v1/bots/{bot_id}/leave",
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/meetings/{meeting_id}/transcript",
        "/api/v1/meetings/{meeting_id}/participants",
        "/api/v1/meetings/{meeting_id}/events",
        "/api/v1/meetings/{meeting_id}/recording",
        "/api/v1/webhooks",
        "/api/v1/webhooks/{endpoint_id}",
    } <= paths
    assert set(spec["components"]["securitySchemes"]) == {"TokenAuth", "BearerAuth", "ApiKeyHeader"}
    for item in spec["paths"].values():
        for method in METHODS:
            if method in item:
                responses = item[method]["responses"]
                for code in ("401", "429", "500"):
                    assert responses[code]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
                assert item[method]["security"]


def _webhook_body_validator(spec: dict, event_type: str) -> Draft202012Validator:
    pointer = f"#/webhooks/{event_type}/post/requestBody/content/application~1json/schema"
    return Draft202012Validator({**spec, "$ref": pointer})


def test_webhooks_section_is_the_event_catalogue(spec):
    assert spec["openapi"] == "3.1.0"
    assert list(spec["webhooks"]) == list(EventType.ALL)
    for event_type, entry in CATALOGUE.items():
        post = spec["webhooks"][event_type]["post"]
        assert post["summary"] == event_type and entry.description in post["description"]
        assert {p["name"] for p in post["parameters"]} == {"webhook-id", "webhook-timestamp", "webhook-signature"}
        example = post["requestBody"]["content"]["application/json"]["example"]
        assert example["type"] == event_type and example["data"] == entry.example
        validator = _webhook_body_validator(spec, event_type)
        validator.validate(example)
        assert not validator.is_valid({**example, "type": "something.else"})
        assert not validator.is_valid({**example, "data": {**example["data"], "unknown": 1}})
        assert ("organization_id" in example) is (entry.scope == "organization")


def test_delivered_bodies_match_their_webhook_schema(spec, api):
    receiver = Receiver().start()
    try:
        endpoint = api.post("/api/v1/webhooks", {"url": receiver.url}, format="json").json()
        bot = api.post("/api/v1/bots", {"meeting_url": "https://meet.google.com/abc-defg-hij"}, format="json").json()
        meeting = Meeting.objects.get(pk=bot["meeting_id"])
        publish(meeting, EventType.SEGMENT_FINALIZED, CATALOGUE[EventType.SEGMENT_FINALIZED].example)
        stream_run(endpoint_id=endpoint["id"], meeting_id="")
        stream_run(endpoint_id=endpoint["id"], meeting_id=meeting.id)
        bodies = [r.json() for r in receiver.snapshot()]
    finally:
        receiver.stop()
    assert [b["type"] for b in bodies] == ["bot.created", "segment.finalized"]
    for body in bodies:
        _webhook_body_validator(spec, body["type"]).validate(body)


def test_docs_render_without_any_external_cdn(anon):
    response = anon.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert assets, html
    assert all(a.startswith("/static/") for a in assets), assets
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    for asset in assets:
        served = anon.get(asset)
        assert served.status_code == 200, asset
        b"".join(served.streaming_content) if served.streaming else served.content


def test_every_operation_answers_as_the_schema_says(spec, api, settings, monkeypatch, tmp_path):
    rec = Recorder(spec)
    check = rec.check
    meet = "https://meet.google.com/abc-defg-hij"
    later = (timezone.now() + timedelta(days=1)).isoformat()

    # --- bots ---
    full = {
        "meeting_url": meet,
        "bot_name": "Scribe",
        "join_at": later,
        "transcription": {"enabled": True, "backend": "faster-whisper", "language": "en", "partials": False},
        "recording": {"mode": "audio_only", "audio_format": "flac"},
        "automatic_leave": {"waiting_room_timeout": 120, "everyone_left_timeout": 30, "max_duration": 3600},
        "entry_message": "Notula is taking notes.",
        "bot_image_url": "https://cdn.example.com/bot.png",
        "webhook_url": "https://hooks.example.com/notula",
        "metadata": {"deal": "42"},
        "deduplication_key": "deal-42",
        "project": "sales",
    }
    scheduled = check(api.post("/api/v1/bots", full, format="json"), status=201, validate_request=True).json()
    queued = check(
        api.post("/api/v1/bots", {"meeting_url": "https://zoom.us/j/1234567890"}, format="json"),
        status=201,
        validate_request=True,
    ).json()
    check(api.post("/api/v1/bots", {"meeting_url": "https://example.com/x"}, format="json"), status=400)
    check(api.post("/api/v1/bots", {**full, "meeting_url": "https://zoom.us/j/999999999"}, format="json"), status=409)
    check(api.get("/api/v1/bots?status=scheduled&metadata.deal=42&limit=1"), status=200, validate_request=True)
    check(api.get("/api/v1/bots?status=bogus"), status=400)
    check(api.get(f"/api/v1/bots/{scheduled['id']}"), status=200, validate_request=True)
    check(
        api.patch(f"/api/v1/bots/{scheduled['id']}", {"bot_name": "Renamed"}, format="json"),
        status=200,
        validate_request=True,
    )
    check(api.patch(f"/api/v1/bots/{scheduled['id']}", {"join_at": "2000-01-01T00:00:00Z"}, format="json"), status=400)
    check(api.patch(f"/api/v1/bots/{queued['id']}", {"bot_name": "x"}, format="json"), status=409)
    # --- a bot's actions in the call: refused until it is in the call ---
    bot_path = f"/api/v1/bots/{queued['id']}"
    check(api.post(f"{bot_path}/chat", {"text": "Hello"}, format="json"), status=409)
    check(api.post(f"{bot_path}/chat", {"text": ""}, format="json"), status=400)
    check(api.post(f"{bot_path}/screenshot"), status=409)
    check(api.post(f"{bot_path}/camera", {"image_url": None}, format="json"), status=409)
    check(api.post(f"{bot_path}/camera", {"image_url": "ftp://example.com/a.png"}, format="json"), status=400)
    Bot.objects.filter(pk=queued["id"]).update(status="in_call")
    check(api.post(f"{bot_path}/chat", {"text": "Hello"}, format="json"), status=202, validate_request=True)
    check(api.post(f"{bot_path}/screenshot"), status=202, validate_request=True)
    check(api.post(f"{bot_path}/camera", {"image_url": None}, format="json"), status=202, validate_request=True)
    Bot.objects.filter(pk=queued["id"]).update(status="queued")
    check(api.get(f"{bot_path}/screenshots"), status=200, validate_request=True)
    check(api.post(f"/api/v1/bots/{queued['id']}/leave"), status=202, validate_request=True)
    check(api.post(f"/api/v1/bots/{queued['id']}/leave"), status=409)
    check(api.delete(f"/api/v1/bots/{queued['id']}"), status=409)
    check(api.delete(f"/api/v1/bots/{scheduled['id']}"), status=204, validate_request=True)

    # --- a bot in a call speaks and pauses its recording ---
    settings.MEDIA_ROOT = tmp_path
    talking = BotFactory(meeting=MeetingFactory(organization=api.organization), status="in_call")
    Bot.objects.filter(pk=talking.pk).update(recording_state="recording")
    speak, pause, resume = (f"/api/v1/bots/{talking.id}/{a}" for a in ("speak", "pause_recording", "resume_recording"))
    check(api.post(speak, {"text": "Hello", "voice": "en-us"}, format="json"), status=202, validate_request=True)
    check(api.post(speak, {"audio_base64": "AAAA"}, format="json"), status=400)
    check(api.delete(speak), status=202, validate_request=True)
    check(api.post(resume), status=409)
    check(api.post(pause), status=202, validate_request=True)
    Bot.objects.filter(pk=talking.pk).update(recording_state="paused")
    check(api.post(resume), status=202, validate_request=True)
    check(api.post(f"/api/v1/bots/{queued['id']}/speak", {"text": "Hi"}, format="json"), status=409)
    check(api.post(f"/api/v1/bots/{queued['id']}/pause_recording"), status=409)
    check(api.delete(f"/api/v1/bots/{queued['id']}/speak"), status=409)

    # --- meetings ---
    meeting_id = queued["meeting_id"]
    SegmentFactory(meeting_id=meeting_id, speaker="Alice", text="Hello there.", language="en", confidence=0.9)
    SegmentFactory(meeting_id=meeting_id, speaker="", text="Unattributed words.", words=[{"w": "x", "s": 0}])
    person = ParticipantFactory(meeting_id=meeting_id, name="Alice", joined_at=timezone.now())
    for kind, offset in (("join", 0), ("speech_start", 100), ("speech_stop", 2100)):
        ParticipantEvent.objects.create(
            meeting_id=meeting_id, participant=person, kind=kind, occurred_at=timezone.now(), offset_ms=offset
        )
    Recording.objects.create(
        meeting_id=meeting_id, kind="audio", format="mp3", file="recordings/x.mp3", duration_ms=1000, size_bytes=10
    )
    check(api.get("/api/v1/meetings?limit=1"), status=200, validate_request=True)
    check(api.get("/api/v1/meetings?cursor=garbage"), status=400)
    check(api.get(f"/api/v1/meetings/{meeting_id}"), status=200, validate_request=True)
    for fmt in ("json", "txt", "srt", "vtt", "md"):
        check(api.get(f"/api/v1/meetings/{meeting_id}/transcript?format={fmt}"), status=200, validate_request=True)
    check(api.get(f"/api/v1/meetings/{meeting_id}/transcript?format=docx"), status=400)
    check(api.get(f"/api/v1/meetings/{meeting_id}/participants"), status=200, validate_request=True)
    check(api.get(f"/api/v1/meetings/{meeting_id}/events?after=1&limit=10"), status=200, validate_request=True)
    check(api.get(f"/api/v1/meetings/{meeting_id}/events?after=-1"), status=400)
    check(api.get(f"/api/v1/meetings/{meeting_id}/recording"), status=200, validate_request=True)
    chat_message_record(
        meeting=Meeting.objects.get(pk=meeting_id), sender="Alice", text="Hi all", sent_at=timezone.now(), offset_ms=5
    )
    check(api.get(f"/api/v1/meetings/{meeting_id}/chat"), status=200, validate_request=True)
    # The organization's own events: the bots created above are in its log.
    check(api.get("/api/v1/events?after=0&limit=10"), status=200, validate_request=True)
    check(api.get("/api/v1/events?after=-1"), status=400)

    # --- meetings from files, re-transcription (queued only: no ASR worker runs here) ---
    imported = {"file_url": "https://files.example.com/call.mp3", "title": "Call", "language": "auto"}
    check(api.post("/api/v1/meetings", imported, format="json"), status=201, validate_request=True)
    check(api.post("/api/v1/meetings", {"file_url": "ftp://files.example.com/a.mp3"}, format="json"), status=400)
    again = {"backend": "openai-whisper", "model": "tiny.en", "language": "en"}
    retranscribe = f"/api/v1/meetings/{meeting_id}/retranscribe"
    check(api.post(retranscribe, again, format="json"), status=202, validate_request=True)
    check(api.post(retranscribe, {"backend": "nope"}, format="json"), status=400)
    silent = MeetingFactory(organization=api.organization)
    check(api.post(f"/api/v1/meetings/{silent.id}/retranscribe", {}, format="json"), status=409)

    # --- the data's life: the organization's retention, deleting a bot's or a meeting's data now ---
    check(api.get("/api/v1/retention"), status=200, validate_request=True)
    kept_for = {"type": "timed", "hours": 72}
    check(api.put("/api/v1/retention", kept_for, format="json"), status=200, validate_request=True)
    check(api.put("/api/v1/retention", {"type": "timed"}, format="json"), status=400)
    ended = BotFactory(meeting__organization=api.organization, status="ended")
    check(api.post(f"/api/v1/bots/{ended.id}/delete_data"), status=200, validate_request=True)
    running = BotFactory(meeting__organization=api.organization, status="in_call")
    check(api.post(f"/api/v1/bots/{running.id}/delete_data"), status=409)
    check(api.post(f"/api/v1/meetings/{silent.id}/delete_data"), status=200, validate_request=True)
    busy_import = MeetingFactory(organization=api.organization, source="file", status="processing")
    check(api.post(f"/api/v1/meetings/{busy_import.id}/delete_data"), status=409)

    # --- webhooks ---
    hook = check(
        api.post(
            "/api/v1/webhooks",
            {"url": "https://hooks.example.com/all", "event_types": ["bot.status_changed"], "description": "CRM"},
            format="json",
        ),
        status=201,
        validate_request=True,
    ).json()
    check(api.post("/api/v1/webhooks", {"url": "ftp://hooks.example.com"}, format="json"), status=400)
    check(api.get("/api/v1/webhooks"), status=200, validate_request=True)
    check(api.get(f"/api/v1/webhooks/{hook['id']}"), status=200, validate_request=True)
    check(api.patch(f"/api/v1/webhooks/{hook['id']}", {"active": False}, format="json"), status=200)
    check(api.patch(f"/api/v1/webhooks/{hook['id']}", {"event_types": ["nope"]}, format="json"), status=400)
    check(api.delete(f"/api/v1/webhooks/{hook['id']}"), status=204, validate_request=True)
    receiver = Receiver().start()
    try:
        local = api.post("/api/v1/webhooks", {"url": receiver.url}, format="json").json()
        meeting = MeetingFactory(organization=api.organization)
        publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="Ann"))
        stream_run(endpoint_id=local["id"], meeting_id=meeting.id)
        delivery_id = WebhookDelivery.objects.get(endpoint_id=local["id"]).id
        deliveries = f"/api/v1/webhooks/{local['id']}/deliveries"
        check(api.get(f"{deliveries}?status=delivered&limit=5"), status=200, validate_request=True)
        check(api.get(f"{deliveries}?status=nope"), status=400)
        check(api.post(f"/api/v1/webhooks/{local['id']}/test"), status=200, validate_request=True)
        check(api.post(f"/api/v1/webhooks/deliveries/{delivery_id}/redeliver"), status=202, validate_request=True)
    finally:
        receiver.stop()

    # --- bot accounts ---
    account_body = {"provider": "google", "email": "bot@acme.example", "password": "pw"}
    account = check(api.post("/api/v1/bot_accounts", account_body, format="json"), status=201, validate_request=True)
    account_id = account.json()["id"]
    check(api.post("/api/v1/bot_accounts", account_body, format="json"), status=409)
    check(api.post("/api/v1/bot_accounts", {"provider": "yahoo"}, format="json"), status=400)
    check(api.get("/api/v1/bot_accounts"), status=200, validate_request=True)
    check(api.get(f"/api/v1/bot_accounts/{account_id}"), status=200, validate_request=True)
    signed_in = {"meeting_url": "https://meet.google.com/qrs-tuvw-xyz", "join_as": account_id}
    busy = check(api.post("/api/v1/bots", signed_in, format="json"), status=201).json()
    check(api.delete(f"/api/v1/bot_accounts/{account_id}"), status=409)
    Bot.objects.filter(pk=busy["id"]).update(status="ended")
    check(api.delete(f"/api/v1/bot_accounts/{account_id}"), status=204, validate_request=True)
    kept = api.post("/api/v1/bot_accounts", account_body, format="json").json()["id"]

    # --- Zoom OAuth connections, against a local server speaking Zoom's protocol ---
    zoom = ZoomServer().start()
    try:
        zoom.add_user("u_1", "u1@acme.example")
        settings.ZOOM_OAUTH_URL = settings.ZOOM_API_URL = zoom.url
        settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET = zoom.client_id, zoom.client_secret
        grant = {
            "authorization_code": zoom.authorize("u_1", "https://x.example/cb"),
            "redirect_uri": "https://x.example/cb",
        }
        created = check(
            api.post("/api/v1/zoom_oauth_connections", grant, format="json"), status=201, validate_request=True
        )
        check(api.post("/api/v1/zoom_oauth_connections", grant, format="json"), status=400)
        check(api.get("/api/v1/zoom_oauth_connections"), status=200, validate_request=True)
        connection_id = created.json()["id"]
        check(api.get(f"/api/v1/zoom_oauth_connections/{connection_id}"), status=200, validate_request=True)
        check(api.delete(f"/api/v1/zoom_oauth_connections/{connection_id}"), status=204, validate_request=True)
        grant["authorization_code"] = zoom.authorize("u_1", "https://x.example/cb")
        kept_connection = api.post("/api/v1/zoom_oauth_connections", grant, format="json").json()["id"]
    finally:
        zoom.stop()
    settings.ZOOM_OAUTH_URL = "http://127.0.0.1:9"  # nothing listens: Zoom unreachable
    check(api.post("/api/v1/zoom_oauth_connections", {"refresh_token": "r"}, format="json"), status=502)

    calendar_id, event_id = _calendar_operations(api, check, settings)
    # --- cloud transcription keys ---
    key_body = {"provider": "deepgram", "api_key": "dg-key"}
    check(api.post("/api/v1/transcription_keys", key_body, format="json"), status=201, validate_request=True)
    check(api.post("/api/v1/transcription_keys", {"provider": "whisperer"}, format="json"), status=400)
    check(api.get("/api/v1/transcription_keys"), status=200, validate_request=True)
    check(api.delete("/api/v1/transcription_keys/deepgram"), status=204, validate_request=True)
    api.post("/api/v1/transcription_keys", key_body, format="json")
    default_body = {"backend": "deepgram", "model": "nova-3", "language": "de"}
    check(api.put("/api/v1/transcription_default", default_body, format="json"), status=200, validate_request=True)
    check(api.put("/api/v1/transcription_default", {"backend": "nope"}, format="json"), status=400)
    check(api.get("/api/v1/transcription_default"), status=200, validate_request=True)
    api.put("/api/v1/transcription_default", {"backend": None}, format="json")

    # --- the answers every operation can give: 401, 404, 429, 500 ---
    bot = BotFactory(meeting=MeetingFactory(organization=api.organization), status="scheduled")
    hook = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/b"}, format="json").json()
    real = {"bot_id": bot.id, "meeting_id": bot.meeting_id, "endpoint_id": hook["id"], "delivery_id": delivery_id}
    missing = {"bot_id": "bot_missing", "meeting_id": "mtg_missing", "endpoint_id": "whe_missing"}
    missing["delivery_id"] = "dlv_missing"
    real["account_id"], missing["account_id"] = kept, "bac_missing"
    real["connection_id"], missing["connection_id"] = kept_connection, "zoc_missing"
    real["calendar_id"], missing["calendar_id"] = calendar_id, "cal_missing"
    real["event_id"], missing["event_id"] = event_id, "cev_missing"
    real["provider"], missing["provider"] = "deepgram", "assemblyai"  # only deepgram's key is stored
    operations = [
        (method, path)
        for path, item in spec["paths"].items()
        if path.startswith("/api/v1/")
        for method in METHODS
        if method in item
    ]

    def call(client, method, path, ids):
        return getattr(client, method)(path.format(**ids), {}, format="json")

    for method, path in operations:
        check(call(APIClient(), method, path, real), status=401)
        if "{" in path:
            check(call(api, method, path, missing), status=404)

    # --- bodies over the limit (413), not JSON (415), a reused Idempotency-Key (422) ---
    api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/k"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    for method, path in operations:
        operation = spec["paths"][path][method]
        if "requestBody" in operation:
            settings.API_MAX_BODY_BYTES = 1
            check(call(api, method, path, real), status=413)
            settings.API_MAX_BODY_BYTES = 1024 * 1024
            check(api.generic(method.upper(), path.format(**real), "x", content_type="text/plain"), status=415)
        if "422" in operation["responses"]:
            bad_key = getattr(api, method)(path.format(**real), {}, format="json", HTTP_IDEMPOTENCY_KEY="a key")
            check(bad_key, status=400)
            other = {"url": "https://hooks.example.com/other"}
            check(getattr(api, method)(path.format(**real), other, format="json", HTTP_IDEMPOTENCY_KEY="k"), status=422)

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_key": "0/min"}}
    for method, path in operations:
        check(call(api, method, path, real), status=429)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_key": "1000/min"}}

    def broken(self, request, view):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(ApiKeyRateThrottle, "allow_request", broken)
    for method, path in operations:
        check(call(api, method, path, real), status=500)

    declared = _declared(spec)
    assert declared - rec.seen == set(), "declared but never seen"
    assert rec.seen - declared == set(), "seen but not declared"


def _calendar_operations(api, check, settings) -> tuple[str, str]:
    """Every calendar operation's answers, on an ICS feed served locally; answers a calendar and an event."""
    from calendars.sync import calendar_sync
    from tests.calendar_feeds import feed, local, vevent
    from tests.server_process import ics_feed_server

    start = local((timezone.now() + timedelta(days=2)).date(), 10)
    server = ics_feed_server()
    try:
        body = feed(
            vevent("daily", start, rrule="FREQ=DAILY;COUNT=2"),
            vevent("nolink", start, link="https://example.com/x", title="No link"),
        )
        calendar = {"provider": "ics", "ics_url": server.publish("openapi", body), "skip_titles": ["lunch"]}
        kept = check(api.post("/api/v1/calendars", calendar, format="json"), status=201, validate_request=True).json()
        gone = api.post("/api/v1/calendars", calendar, format="json").json()
        check(api.post("/api/v1/calendars", {"provider": "ics"}, format="json"), status=400)
        calendar_sync(kept["id"])
    finally:
        server.stop()
    google = {"provider": "google", "refresh_token": "r", "oauth_client_id": "c", "oauth_client_secret": "s"}
    settings.GOOGLE_TOKEN_URL = "http://127.0.0.1:9/token"  # nothing listens: Google unreachable
    check(api.post("/api/v1/calendars", google, format="json"), status=502)
    check(api.get("/api/v1/calendars"), status=200, validate_request=True)
    check(api.get(f"/api/v1/calendars/{kept['id']}"), status=200, validate_request=True)
    check(api.patch(f"/api/v1/calendars/{kept['id']}", {"only_accepted": False}, format="json"), status=200)
    check(api.patch(f"/api/v1/calendars/{kept['id']}", {"skip_titles": "x"}, format="json"), status=400)
    check(api.post(f"/api/v1/calendars/{kept['id']}/resync"), status=202, validate_request=True)
    check(api.delete(f"/api/v1/calendars/{gone['id']}"), status=204, validate_request=True)
    events = check(api.get(f"/api/v1/calendar-events?calendar_id={kept['id']}"), status=200).json()
    check(api.get("/api/v1/calendar-events?bogus=1"), status=400)
    linked = next(e["id"] for e in events if e["meeting_url"])
    unlinked = next(e["id"] for e in events if not e["meeting_url"])
    check(api.get(f"/api/v1/calendar-events/{linked}"), status=200, validate_request=True)
    bot = api.post(f"/api/v1/calendar-events/{linked}/bot?all_occurrences=true", {"bot_name": "X"}, format="json")
    check(bot, status=200, validate_request=True)
    check(api.post(f"/api/v1/calendar-events/{unlinked}/bot", {}, format="json"), status=409)
    check(api.post(f"/api/v1/calendar-events/{linked}/bot", {"bot_name": 3}, format="json"), status=400)
    check(api.patch(f"/api/v1/calendar-events/{linked}/bot", {"bot_name": "Y"}, format="json"), status=200)
    check(api.patch(f"/api/v1/calendar-events/{linked}/bot?all_occurrences=maybe", {}, format="json"), status=400)
    check(api.delete(f"/api/v1/calendar-events/{linked}/bot"), status=200, validate_request=True)
    check(api.delete(f"/api/v1/calendar-events/{linked}/bot?x=1"), status=400)
    return kept["id"], linked


def test_schema_generates_without_warnings(tmp_path):
    """Every view, serializer and enum resolves: no guessed types, no colliding names."""
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "openapi: 3" in target.read_text()
