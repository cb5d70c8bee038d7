"""API authentication, tenancy isolation, rate limit and the one JSON error shape."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiKey
from accounts.services import api_key_revoke
from tests.conftest import make_client
from tests.factories import BotFactory, MeetingFactory, SegmentFactory

MEET = "https://meet.google.com/abc-defg-hij"


def _assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


# --- authentication ---------------------------------------------------------------------------


def test_missing_key_is_401_json(anon):
    response = anon.get("/api/v1/bots")
    _assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Token")


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Token ntl_this-is-not-a-key"},
        {"HTTP_AUTHORIZATION": "Bearer ntl_this-is-not-a-key"},
        {"HTTP_X_API_KEY": "ntl_this-is-not-a-key"},
    ],
)
def test_wrong_key_is_401_json(anon, headers):
    _assert_error(anon.get("/api/v1/bots", **headers), 401, "authentication_failed")


def test_other_schemes_and_empty_values_are_not_keys(api):
    client = APIClient()
    for header in (f"Basic {api.issued.key}", "Token ", "Bearer", api.issued.key):
        _assert_error(client.get("/api/v1/bots", HTTP_AUTHORIZATION=header), 401)


def test_revoked_key_is_401(api):
    assert api.get("/api/v1/bots").status_code == 200
    api_key_revoke(api_key=api.issued.api_key)
    _assert_error(api.get("/api/v1/bots"), 401, "authentication_failed")


@pytest.mark.parametrize(
    "header,template",
    [
        ("HTTP_AUTHORIZATION", "Token {key}"),
        ("HTTP_AUTHORIZATION", "token {key}"),
        ("HTTP_AUTHORIZATION", "Bearer {key}"),
        ("HTTP_X_API_KEY", "{key}"),
    ],
)
def test_the_accepted_headers(api, header, template):
    BotFactory(meeting=MeetingFactory(organization=api.organization))
    client = APIClient()
    response = client.get("/api/v1/bots", **{header: template.format(key=api.issued.key)})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_use_is_recorded_on_the_key(api):
    assert api.issued.api_key.last_used_at is None
    api.get("/api/v1/bots")
    assert ApiKey.objects.get(pk=api.issued.api_key.pk).last_used_at is not None


def _every_route(bot_id: str, meeting_id: str, webhook_id: str) -> list[tuple[str, str]]:
    return [
        ("get", "/api/v1/bots"),
        ("post", "/api/v1/bots"),
        ("get", f"/api/v1/bots/{bot_id}"),
        ("patch", f"/api/v1/bots/{bot_id}"),
        ("delete", f"/api/v1/bots/{bot_id}"),
        ("post", f"/api/v1/bots/{bot_id}/leave"),
        ("get", "/api/v1/meetings"),
        ("get", f"/api/v1/meetings/{meeting_id}"),
        ("get", f"/api/v1/meetings/{meeting_id}/transcript"),
        ("get", f"/api/v1/meetings/{meeting_id}/participants"),
        ("get", f"/api/v1/meetings/{meeting_id}/events"),
        ("get", f"/api/v1/meetings/{meeting_id}/recording"),
        ("get", "/api/v1/webhooks"),
        ("post", "/api/v1/webhooks"),
        ("get", f"/api/v1/webhooks/{webhook_id}"),
        ("patch", f"/api/v1/webhooks/{webhook_id}"),
        ("delete", f"/api/v1/webhooks/{webhook_id}"),
    ]


def test_every_route_needs_a_key(api, anon):
    bot = BotFactory(meeting=MeetingFactory(organization=api.organization), status="scheduled")
    hook = api.post("/api/v1/webhooks", {"url": "https://hooks.example/x"}, format="json").json()
    for method, path in _every_route(bot.id, bot.meeting_id, hook["id"]):
        response = getattr(anon, method)(path, {}, format="json")
        _assert_error(response, 401)
    bot.refresh_from_db()
    assert bot.status == "scheduled"


# --- tenancy ------------------------------------------------------------------------------------


def test_another_organizations_objects_answer_404_and_are_not_listed(api, other_api):
    theirs = other_api.post("/api/v1/bots", {"meeting_url": MEET, "join_at": "2099-01-01T10:00:00Z"}, format="json")
    assert theirs.status_code == 201
    their_bot = theirs.json()
    SegmentFactory(meeting_id=their_bot["meeting_id"])
    their_hook = other_api.post("/api/v1/webhooks", {"url": "https://hooks.example/theirs"}, format="json").json()
    mine = api.post("/api/v1/bots", {"meeting_url": MEET}, format="json").json()

    for method, path in _every_route(their_bot["id"], their_bot["meeting_id"], their_hook["id"]):
        if path.rstrip("/").split("/")[-1] in ("bots", "meetings", "webhooks"):
            continue
        body = {} if method == "get" else {"bot_name": "x", "active": False}
        response = getattr(api, method)(path, body, format="json")
        error = _assert_error(response, 404, "not_found")
        assert their_bot["id"] not in error["message"] or "your organization" in error["message"]

    assert [b["id"] for b in api.get("/api/v1/bots").json()["results"]] == [mine["id"]]
    assert [m["id"] for m in api.get("/api/v1/meetings").json()["results"]] == [mine["meeting_id"]]
    assert api.get("/api/v1/webhooks").json() == []
    # Nothing of theirs changed.
    again = other_api.get(f"/api/v1/bots/{their_bot['id']}").json()
    assert again["status"] == "scheduled" and again["bot_name"] == "Notula"
    assert other_api.get(f"/api/v1/webhooks/{their_hook['id']}").json()["active"] is True


def test_dedup_is_per_organization(api, other_api):
    assert api.post("/api/v1/bots", {"meeting_url": MEET}, format="json").status_code == 201
    assert other_api.post("/api/v1/bots", {"meeting_url": MEET}, format="json").status_code == 201


# --- rate limit ---------------------------------------------------------------------------------


@pytest.fixture
def low_rate(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_key": "3/min"}}


def test_rate_limit_answers_429_with_retry_after(api, low_rate):
    for _ in range(3):
        assert api.get("/api/v1/bots").status_code == 200
    response = api.get("/api/v1/bots")
    _assert_error(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 61


def test_rate_limit_is_per_key(api, low_rate):
    for _ in range(4):
        api.get("/api/v1/bots")
    assert api.get("/api/v1/bots").status_code == 429
    same_org_new_key = make_client("Acme")
    assert same_org_new_key.get("/api/v1/bots").status_code == 200


def test_default_rate_does_not_throttle_normal_use(api):
    for _ in range(20):
        assert api.get("/api/v1/bots").status_code == 200


# --- the one error shape --------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_api_url_is_json_404(api, anon, settings, debug):
    settings.DEBUG = debug
    for client in (api, anon):
        for path in ("/api/v1/nope", "/api/v2/bots", "/api/"):
            _assert_error(client.get(path), 404, "not_found")


def test_wrong_method_is_json_405(api):
    _assert_error(api.put("/api/v1/bots", {}, format="json"), 405, "method_not_allowed")


def test_malformed_json_is_json_400(api):
    response = api.generic("POST", "/api/v1/bots", "{not json", content_type="application/json")
    _assert_error(response, 400, "parse_error")


def test_a_crash_in_the_api_is_json_500(api, monkeypatch):
    from bots import selectors

    def boom(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "bot_list", boom)
    response = api.get("/api/v1/bots")
    error = _assert_error(response, 500, "internal_error")
    assert "database on fire" not in error["message"]


def test_schema_and_docs_need_no_key(anon):
    assert anon.get("/api/schema/").status_code == 200
    assert anon.get("/api/docs/").status_code == 200
    assert anon.get("/healthz").json() == {"ok": True}
