"""The webhook endpoints API: create (secret shown once), list, read, change, delete, validation."""

import pytest

from tests.factories import MeetingFactory
from webhooks.models import WebhookEndpoint


def test_create_returns_the_secret_once(api):
    response = api.post(
        "/api/v1/webhooks",
        {
            "url": "https://hooks.example.com/notula",
            "event_types": ["bot.status_changed", "segment.finalized"],
            "format": "sasha",
            "description": "CRM",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"].startswith("whe_") and body["secret"].startswith("whsec_")
    assert body["event_types"] == ["bot.status_changed", "segment.finalized"]
    assert body["format"] == "sasha" and body["active"] is True and body["description"] == "CRM"
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert endpoint.organization == api.organization and endpoint.secret == body["secret"]
    assert "secret" not in api.get(f"/api/v1/webhooks/{body['id']}").json()
    assert "secret" not in api.get("/api/v1/webhooks").json()[0]


def test_defaults(api):
    body = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/a"}, format="json").json()
    assert body["event_types"] == [] and body["format"] == "native" and body["active"] is True


def test_list_shows_the_organizations_endpoints_not_bot_webhook_urls(api):
    first = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/1"}, format="json").json()
    second = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/2"}, format="json").json()
    WebhookEndpoint.objects.create(
        organization=api.organization, meeting=MeetingFactory(organization=api.organization), url="https://x.example"
    )
    assert [e["id"] for e in api.get("/api/v1/webhooks").json()] == [first["id"], second["id"]]


def test_patch_and_reactivate(api):
    created = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/a"}, format="json").json()
    response = api.patch(
        f"/api/v1/webhooks/{created['id']}",
        {"active": False, "event_types": ["participant_joined"], "url": "https://hooks.example.com/b"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["active"] is False and body["event_types"] == ["participant.joined"]
    assert body["url"] == "https://hooks.example.com/b"
    WebhookEndpoint.objects.filter(pk=created["id"]).update(disabled_reason="failing for 3 days")
    body = api.patch(f"/api/v1/webhooks/{created['id']}", {"active": True}, format="json").json()
    assert body["active"] is True and body["disabled_reason"] == "" and body["failing_since"] is None


def test_delete(api):
    created = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/a"}, format="json").json()
    response = api.delete(f"/api/v1/webhooks/{created['id']}")
    assert response.status_code == 204
    assert not WebhookEndpoint.objects.filter(pk=created["id"]).exists()
    assert api.get(f"/api/v1/webhooks/{created['id']}").status_code == 404


@pytest.mark.parametrize(
    "payload,field",
    [
        ({}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "ftp://hooks.example.com"}, "url"),
        ({"url": "https://hooks.example.com", "event_types": ["meeting.exploded"]}, "event_types"),
        ({"url": "https://hooks.example.com", "event_types": "bot.status_changed"}, "event_types"),
        ({"url": "https://hooks.example.com", "format": "xml"}, "format"),
        ({"url": "https://hooks.example.com", "active": "maybe"}, "active"),
        ({"url": "https://hooks.example.com", "secret": "mine"}, "secret"),
    ],
)
def test_validation_names_the_field(api, payload, field):
    response = api.post("/api/v1/webhooks", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not WebhookEndpoint.objects.exists()


def test_patch_validation(api):
    created = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/a"}, format="json").json()
    response = api.patch(f"/api/v1/webhooks/{created['id']}", {"format": "xml"}, format="json")
    assert response.status_code == 400 and "format" in response.json()["error"]["fields"]
    assert WebhookEndpoint.objects.get(pk=created["id"]).format == "native"


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000/hook", "http://10.1.2.3/hook", "http://[::1]/hook"])
def test_private_addresses_refused_unless_allowed(api, settings, url):
    settings.ALLOW_PRIVATE_URLS = False
    response = api.post("/api/v1/webhooks", {"url": url}, format="json")
    assert response.status_code == 400 and "url" in response.json()["error"]["fields"]
    settings.ALLOW_PRIVATE_URLS = True
    assert api.post("/api/v1/webhooks", {"url": url}, format="json").status_code == 201
