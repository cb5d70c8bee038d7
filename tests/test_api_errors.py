"""One error shape for every failure, whatever the parser and whatever the layer that refuses."""

import json

import pytest
import requests
from rest_framework.test import APIClient

from tests.live_server import daphne

MEET = "https://meet.google.com/abc-defg-hij"


def _error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "fields"} and error["message"]
    if code:
        assert error["code"] == code, error
    return error


# --- bodies: every parser, malformed, wrong type, too large -------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/bots", "/api/v1/webhooks"])
@pytest.mark.parametrize(
    "content_type,body",
    [
        ("multipart/form-data; boundary=xyz", b"--xyz--\r\n"),
        ("application/x-www-form-urlencoded", b"meeting_url=x"),
        ("text/plain", b"hello"),
        ("application/xml", b"<bot/>"),
    ],
)
def test_json_endpoints_refuse_other_bodies_with_415(api, path, content_type, body):
    _error(api.generic("POST", path, body, content_type=content_type), 415, "unsupported_media_type")


@pytest.mark.parametrize("body", ["{not json", "[1,", '{"meeting_url": "x"', "\x00"])
def test_malformed_json_is_400_parse_error(api, body):
    _error(api.generic("POST", "/api/v1/bots", body, content_type="application/json"), 400, "parse_error")


@pytest.mark.parametrize("body", ["[]", '["meeting_url"]', '"text"', "42", "null", "true"])
def test_a_json_body_that_is_not_an_object_is_400(api, body):
    bot = api.post("/api/v1/bots", {"meeting_url": MEET, "join_at": "2099-01-01T10:00:00Z"}).json()
    hook = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/x"}).json()
    for method, path in (
        ("POST", "/api/v1/bots"),
        ("PATCH", f"/api/v1/bots/{bot['id']}"),
        ("POST", "/api/v1/webhooks"),
        ("PATCH", f"/api/v1/webhooks/{hook['id']}"),
        ("POST", "/api/v1/meetings"),
    ):
        response = api.generic(method, path, body, content_type="application/json")
        _error(response, 400, "validation_error")


def test_empty_multipart_import_is_400_naming_the_fields(api):
    response = api.generic("POST", "/api/v1/meetings", b"--xyz--\r\n", content_type="multipart/form-data; boundary=xyz")
    error = _error(response, 400)
    assert "file_url" in error["fields"] and "file" in error["fields"]


def test_a_body_over_the_limit_is_413_request_too_large(api, settings):
    settings.API_MAX_BODY_BYTES = 1000
    big = {"meeting_url": MEET, "entry_message": "x" * 2000}
    error = _error(api.post("/api/v1/bots", big), 413, "request_too_large")
    assert "1000" in error["message"] and "NOTULA_API_MAX_BODY_BYTES" in error["message"]
    assert api.post("/api/v1/bots", {"meeting_url": MEET}).status_code == 201


def test_an_upload_over_the_limit_is_413_upload_too_large(api, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.IMPORT_MAX_BYTES = 100
    upload = SimpleUploadedFile("call.wav", b"\0" * 200_000, content_type="audio/wav")
    error = _error(api.post("/api/v1/meetings", {"file": upload}, format="multipart"), 413, "upload_too_large")
    assert "NOTULA_IMPORT_MAX_BYTES" in error["message"]
    small = SimpleUploadedFile("call.wav", b"\0" * 1000, content_type="audio/wav")
    error = _error(api.post("/api/v1/meetings", {"file": small}, format="multipart"), 413, "upload_too_large")
    assert error["fields"] == {"file": [error["fields"]["file"][0]]}


# --- values of the wrong JSON type are refused, not coerced --------------------------------------------


@pytest.mark.parametrize(
    "path,payload,field",
    [
        ("/api/v1/bots", {"meeting_url": MEET, "bot_name": 12}, "bot_name"),
        ("/api/v1/bots", {"meeting_url": 7}, "meeting_url"),
        ("/api/v1/bots", {"meeting_url": MEET, "transcription": {"enabled": "yes"}}, "transcription"),
        ("/api/v1/bots", {"meeting_url": MEET, "transcription": {"partials": 1}}, "transcription"),
        ("/api/v1/bots", {"meeting_url": MEET, "automatic_leave": {"max_duration": "60"}}, "automatic_leave"),
        ("/api/v1/bots", {"meeting_url": MEET, "join_at": "2099-01-01"}, "join_at"),
        ("/api/v1/bots", {"meeting_url": MEET, "join_at": "2099-01-01T10:00:00"}, "join_at"),
        ("/api/v1/bots", {"meeting_url": MEET, "metadata": ["a"]}, "metadata"),
        ("/api/v1/webhooks", {"url": "https://hooks.example.com/x", "active": "yes"}, "active"),
        ("/api/v1/webhooks", {"url": "https://hooks.example.com/x", "active": 0}, "active"),
        (
            "/api/v1/webhooks",
            {"url": "https://hooks.example.com/x", "event_types": "bot.status_changed"},
            "event_types",
        ),
        ("/api/v1/meetings", {"file_url": "https://files.example.com/a.mp3", "title": 5}, "title"),
    ],
)
def test_wrong_json_types_are_400_naming_the_field(api, path, payload, field):
    error = _error(api.post(path, payload), 400, "validation_error")
    assert field in error["fields"], error


def test_patch_refuses_wrong_types_too(api):
    hook = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/x"}).json()
    error = _error(api.patch(f"/api/v1/webhooks/{hook['id']}", {"active": "false"}), 400)
    assert "active" in error["fields"]
    assert api.get(f"/api/v1/webhooks/{hook['id']}").json()["active"] is True


# --- query strings: unknown, empty, repeated, mistyped ------------------------------------------------


@pytest.mark.parametrize(
    "path,field",
    [
        ("/api/v1/bots?limit=", "limit"),
        ("/api/v1/bots?limti=5", "limti"),
        ("/api/v1/bots?created_before=", "created_before"),
        ("/api/v1/bots?created_after=2000-01-01T00:00:55.737-18:53x", "created_after"),
        ("/api/v1/bots?cursor=", "cursor"),
        ("/api/v1/bots?limit=5&limit=6", "limit"),
        ("/api/v1/meetings?status=done", "status"),
        ("/api/v1/meetings?after[a]=1", "after[a]"),
        ("/api/v1/webhooks?active=true", "active"),
    ],
)
def test_bad_query_parameters_are_400_naming_them(api, path, field):
    error = _error(api.get(path), 400, "validation_error")
    assert field in error["fields"], error


def test_an_offset_out_of_range_is_read_not_a_500(api):
    # Python accepts offsets up to a day; PostgreSQL does not: the time is turned into UTC first.
    assert api.get("/api/v1/bots?created_after=2000-01-01T00:00:55.737-18:53").status_code == 200
    assert api.get("/api/v1/bots?created_before=0140-08-01T09:19:46%2B19:05").status_code == 200
    _error(api.get("/api/v1/bots?created_before=0001-01-01T00:00:00%2B05:00"), 400)


def test_meeting_subresources_refuse_bad_query_parameters(api):
    meeting = api.post("/api/v1/bots", {"meeting_url": MEET}).json()["meeting_id"]
    _error(api.get(f"/api/v1/meetings/{meeting}/events?after="), 400)
    _error(api.get(f"/api/v1/meetings/{meeting}/events?after=1.5"), 400)
    _error(api.get(f"/api/v1/meetings/{meeting}/participants?page=2"), 400)
    hook = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/x"}).json()
    _error(api.get(f"/api/v1/webhooks/{hook['id']}/deliveries?status=lost"), 400)
    _error(api.get(f"/api/v1/webhooks/{hook['id']}/deliveries?limit=500"), 400)


# --- the layers: unknown path, method, CSRF, auth ---------------------------------------------------------


def test_an_unknown_post_path_is_a_json_404_even_with_a_session_cookie(db, django_user_model):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_user("someone", password="pw-pw-pw-pw"))
    for method in ("POST", "PUT", "PATCH", "DELETE", "GET"):
        _error(client.generic(method, "/api/v1/nothing-here", b"{}", content_type="application/json"), 404, "not_found")


def test_a_refused_csrf_check_speaks_json_under_api(rf):
    from config.urls import csrf_failure

    response = csrf_failure(rf.post("/api/v1/bots"), reason="CSRF cookie not set.")
    assert response.status_code == 403 and json.loads(response.content)["error"]["code"] == "csrf_failed"
    assert "text/html" in csrf_failure(rf.post("/dashboard/"), reason="x")["Content-Type"]


def test_method_not_allowed_is_json_with_allow(api):
    response = api.put("/api/v1/bots", {})
    _error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"] and "POST" in response["Allow"]


# --- Daphne: what the server in front of the app might answer itself ------------------------------------


@pytest.mark.django_db(transaction=True)
def test_daphne_hands_malformed_multipart_bodies_to_the_app(tmp_path):
    from tests.conftest import make_client

    key = make_client("Acme").issued.key
    with daphne(tmp_path) as base:
        headers = {"Authorization": f"Token {key}", "Content-Type": "multipart/form-data; boundary=c637e12e"}
        for path, status in (("/api/v1/bots", 415), ("/api/v1/meetings", 400)):
            response = requests.post(base + path, data=b"--c637e12e--\r\n", headers=headers, timeout=10)
            assert response.status_code == status, response.text
            assert response.headers["Content-Type"].startswith("application/json")
            assert response.json()["error"]["message"]
        response = requests.post(base + "/api/v1/nothing", data=b"{}", headers={"Cookie": "csrftoken=x"}, timeout=10)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_page_size_limit_is_a_setting_and_a_400_naming_limit(api, settings):
    for n in range(3):
        api.post("/api/v1/webhooks", {"url": f"https://hooks.example.com/{n}"})
        api.post("/api/v1/bots", {"meeting_url": f"https://zoom.us/j/8123456789{n}"})
    assert len(api.get("/api/v1/bots?limit=3").json()["results"]) == 3
    settings.API_MAX_PAGE_SIZE = 2
    error = _error(api.get("/api/v1/bots?limit=3"), 400)
    assert "limit" in error["fields"]
    assert len(api.get("/api/v1/bots?limit=2").json()["results"]) == 2
    _error(api.get("/api/v1/meetings?limit=3"), 400)


def test_nul_characters_are_refused_wherever_they_are(api):
    fields = _error(api.post("/api/v1/bots", {"meeting_url": MEET, "metadata": {"a": "x\x00y"}}), 400)["fields"]
    assert "metadata" in fields
    assert (
        "metadata" in _error(api.post("/api/v1/bots", {"meeting_url": MEET, "metadata": {"k\x00": 1}}), 400)["fields"]
    )
    assert "bot_name" in _error(api.post("/api/v1/bots", {"meeting_url": MEET, "bot_name": "a\x00"}), 400)["fields"]
    scenario = {"platform": "zoom", "scenario": {"title": "a\x00"}}
    assert "scenario" in _error(api.post("/simulator/api/meetings", scenario), 400)["fields"]
    _error(api.get("/api/v1/bots?bot_name=%00"), 400)
    _error(api.get("/api/v1/bots/bot_%00"), 404, "not_found")
    _error(api.get("/api/v1/meetings/%00/events"), 404, "not_found")


def test_a_scenario_line_spoken_by_a_non_name_is_400(api):
    scenario = {"participants": [{"name": "Ann"}], "script": [{"at_s": 0, "speaker": {}, "text": "Hi"}]}
    fields = _error(api.post("/simulator/api/meetings", {"platform": "zoom", "scenario": scenario}), 400)["fields"]
    assert "scenario.script[0].speaker" in fields
