"""createapikey / revokeapikey: organization and default project, a working key shown once, stored hashed."""

import hashlib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import ApiKey, Organization, Project


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_createapikey_json_creates_org_project_and_a_working_key():
    data = json.loads(_run("createapikey", "--org", "Acme Corp", "--json"))
    assert set(data) == {"key", "signing_secret"}
    assert data["key"].startswith("ntl_") and len(data["key"]) > 40
    assert data["signing_secret"].startswith("whsec_")

    organization = Organization.objects.get(name="Acme Corp")
    assert list(organization.projects.values_list("name", flat=True)) == ["api"]
    stored = ApiKey.objects.get(organization=organization)
    assert stored.prefix == data["key"][:12]
    assert stored.key_hash == hashlib.sha256(data["key"].encode()).hexdigest()
    assert data["key"] not in {stored.key_hash, stored.prefix, stored.name}
    assert stored.signing_secret == data["signing_secret"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {data['key']}")
    created = client.post("/api/v1/bots", {"meeting_url": "https://meet.google.com/abc-defg-hij"}, format="json")
    assert created.status_code == 201
    assert created.json()["project"] == "api"
    assert [b["id"] for b in client.get("/api/v1/bots").json()["results"]] == [created.json()["id"]]


@pytest.mark.django_db
def test_createapikey_text_output_and_reuse_of_the_organization():
    first = _run("createapikey", "--org", "Acme", "--name", "ci")
    second = _run("createapikey", "--org", "Acme")
    assert Organization.objects.filter(name="Acme").count() == 1
    assert Project.objects.filter(organization__name="Acme").count() == 1
    assert ApiKey.objects.filter(organization__name="Acme").count() == 2
    assert ApiKey.objects.filter(name="ci").count() == 1
    keys = []
    for output in (first, second):
        lines = dict(line.split(":", 1) for line in output.splitlines() if ":" in line)
        key = lines["API key"].strip()
        assert lines["Signing secret"].strip().startswith("whsec_")
        assert "not shown again" in output
        keys.append(key)
        response = APIClient().get("/api/v1/bots", HTTP_X_API_KEY=key)
        assert response.status_code == 200
    assert keys[0] != keys[1]


@pytest.mark.django_db
def test_createapikey_needs_an_org():
    with pytest.raises(CommandError):
        call_command("createapikey")


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["id", "prefix", "key"])
def test_revokeapikey(by):
    data = json.loads(_run("createapikey", "--org", "Acme", "--json"))
    other = json.loads(_run("createapikey", "--org", "Acme", "--json"))
    stored = ApiKey.objects.get(prefix=data["key"][:12])
    name = {"id": stored.id, "prefix": stored.prefix, "key": data["key"]}[by]
    output = _run("revokeapikey", name)
    assert "Revoked" in output and stored.prefix in output
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert APIClient().get("/api/v1/bots", HTTP_X_API_KEY=data["key"]).status_code == 401
    assert APIClient().get("/api/v1/bots", HTTP_X_API_KEY=other["key"]).status_code == 200


@pytest.mark.django_db
def test_revokeapikey_unknown_key():
    with pytest.raises(CommandError, match="No API key"):
        call_command("revokeapikey", "ntl_nothing")
