"""Zoom tokens: OAuth connections stored through the API and refreshed against a local server speaking
Zoom's protocol; per-bot zoom options checked, kept encrypted and never shown back."""

import json

import pytest
from django.utils import timezone

from accounts.crypto import secret_decrypt
from accounts.models import ZoomConnection
from accounts.zoom import ZoomUnavailable, zoom_connection_token
from bots.models import Bot
from tests.zoom_server import ZoomServer

ZOOM = "https://zoom.us/j/85012345678?pwd=abc"
REDIRECT = "https://notula.example/zoom/callback"


@pytest.fixture
def zoom(settings):
    server = ZoomServer().start()
    server.add_user("u_alice", "alice@acme.example")
    settings.ZOOM_OAUTH_URL = settings.ZOOM_API_URL = server.url
    settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET = server.client_id, server.client_secret
    yield server
    server.stop()


def connect(api, zoom) -> dict:
    code = zoom.authorize("u_alice", REDIRECT)
    body = {"authorization_code": code, "redirect_uri": REDIRECT}
    response = api.post("/api/v1/zoom_oauth_connections", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_connection_is_made_from_an_authorization_code_and_shows_no_token(api, other_api, zoom):
    connection = connect(api, zoom)
    assert (connection["zoom_user_id"], connection["email"], connection["state"]) == (
        "u_alice",
        "alice@acme.example",
        "connected",
    )
    assert "acc_" not in json.dumps(connection) and "ref_" not in json.dumps(connection)
    stored = ZoomConnection.objects.get(pk=connection["id"])
    assert "acc_" not in stored.access_token_encrypted and secret_decrypt(stored.access_token_encrypted).startswith(
        "acc_"
    )
    assert [c["id"] for c in api.get("/api/v1/zoom_oauth_connections").json()] == [connection["id"]]
    assert other_api.get(f"/api/v1/zoom_oauth_connections/{connection['id']}").status_code == 404
    # The code was single-use: Zoom refuses it a second time, and the field is named.
    again = api.post("/api/v1/zoom_oauth_connections", {"authorization_code": "code_used", "redirect_uri": REDIRECT})
    assert again.status_code == 400 and "authorization_code" in again.json()["error"]["fields"]
    assert api.delete(f"/api/v1/zoom_oauth_connections/{connection['id']}").status_code == 204


def test_tokens_come_from_zoom_and_an_expired_access_token_is_refreshed_once(api, zoom):
    connection = ZoomConnection.objects.get(pk=connect(api, zoom)["id"])
    zak = zoom_connection_token(connection=connection, kind="zak")
    assert zak.startswith("zak.u_alice.") and zoom.issued == [("zak", zak)]
    ZoomConnection.objects.filter(pk=connection.pk).update(access_expires_at=timezone.now())
    obf = zoom_connection_token(connection=connection, kind="obf")
    assert obf.startswith("onbehalf.u_alice.")
    assert [line for line in zoom.log if "oauth" in line] == [
        "POST /oauth/token authorization_code",
        "POST /oauth/token refresh_token",
    ]
    zoom.expire_access_tokens()  # Zoom says the token is no longer valid before its time
    assert zoom_connection_token(connection=connection, kind="zak").startswith("zak.")
    assert zoom.log.count("POST /oauth/token refresh_token") == 2


def test_a_refused_refresh_marks_the_connection_and_says_to_authorize_again(api, zoom):
    connection = ZoomConnection.objects.get(pk=connect(api, zoom)["id"])
    zoom.expire_access_tokens()
    zoom.revoke_refresh_tokens()
    with pytest.raises(ZoomUnavailable, match="authorize Notula again"):
        zoom_connection_token(connection=connection, kind="zak")
    connection.refresh_from_db()
    assert connection.state == "refresh_failed" and "Invalid Token" in connection.failure_message
    refused = api.post(
        "/api/v1/bots", {"meeting_url": ZOOM, "zoom": {"oauth_connection": connection.id}}, format="json"
    )
    assert refused.status_code == 400 and "zoom.oauth_connection" in refused.json()["error"]["fields"]


def test_zoom_options_are_checked_and_the_token_is_never_shown(api, zoom):
    connection = connect(api, zoom)["id"]
    given = api.post("/api/v1/bots", {"meeting_url": ZOOM, "zoom": {"zak_token": "zak-secret-1"}}, format="json")
    assert given.status_code == 201, given.json()
    assert given.json()["zoom"] == {"token_type": "zak", "oauth_connection": None}
    assert "zak-secret-1" not in json.dumps(api.get(f"/api/v1/bots/{given.json()['id']}").json())
    assert "zak-secret-1" not in Bot.objects.get(pk=given.json()["id"]).zoom_token_encrypted
    linked = api.post(
        "/api/v1/bots",
        {"meeting_url": ZOOM.replace("85012345678", "85012345679"), "zoom": {"oauth_connection": connection}},
        format="json",
    ).json()
    assert linked["zoom"] == {"token_type": "obf", "oauth_connection": connection}
    plain = api.post("/api/v1/bots", {"meeting_url": ZOOM.replace("678", "677")}, format="json").json()
    assert plain["zoom"] == {"token_type": None, "oauth_connection": None}
    for body, field in [
        ({"meeting_url": "https://meet.google.com/abc-defg-hij", "zoom": {"obf_token": "x"}}, "zoom"),
        ({"meeting_url": ZOOM, "zoom": {"obf_token": "x", "zak_token": "y"}}, "zoom"),
        ({"meeting_url": ZOOM, "zoom": {"oauth_connection": "zoc_nope"}}, "zoom.oauth_connection"),
        ({"meeting_url": ZOOM, "zoom": {"zak_token": "x", "token_type": "zak"}}, "zoom.token_type"),
        ({"meeting_url": ZOOM, "zoom": {"ticket": "x"}}, "zoom"),
    ]:
        refused = api.post("/api/v1/bots", body, format="json")
        assert refused.status_code == 400 and field in json.dumps(refused.json()["error"]["fields"]), refused.json()
