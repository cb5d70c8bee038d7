"""Stored bot accounts: the API stores, lists and deletes them, never shows a password back, keeps the
secrets encrypted; bots join as them only on their provider's platform."""

import pytest
from cryptography.fernet import Fernet

from accounts.bot_accounts import bot_account_password
from accounts.crypto import secret_decrypt, secret_encrypt
from accounts.models import BotAccount
from bots.models import Bot, BotStatus

MEET = "https://meet.google.com/abc-defg-hij"
TEAMS = "https://teams.live.com/meet/9345678901234?p=AbCdEfGh"
ZOOM = "https://zoom.us/j/85012345678?pwd=abc"


def store(api, provider="google", email="notetaker@acme.example", password="s3cret pass!", **extra):
    return api.post(
        "/api/v1/bot_accounts", {"provider": provider, "email": email, "password": password, **extra}, format="json"
    )


def test_an_account_is_stored_encrypted_and_never_shown_back(api):
    response = store(api, label="Meet notetaker")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "id", "provider", "email", "label", "status", "status_message", "has_session", "last_used_at", "created_at"
    }  # fmt: skip
    assert (body["provider"], body["email"], body["status"], body["has_session"]) == (
        "google",
        "notetaker@acme.example",
        "ready",
        False,
    )
    account = BotAccount.objects.get(pk=body["id"])
    assert "s3cret" not in account.password_encrypted
    assert bot_account_password(account=account) == "s3cret pass!"
    for listed in (api.get("/api/v1/bot_accounts").json(), [api.get(f"/api/v1/bot_accounts/{body['id']}").json()]):
        assert [a["id"] for a in listed] == [body["id"]] and "password" not in str(listed)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"provider": "yahoo", "email": "a@b.example", "password": "x"}, "provider"),
        ({"provider": "google", "email": "not-an-email", "password": "x"}, "email"),
        ({"provider": "google", "email": "a@b.example"}, "password"),
        ({"provider": "google", "email": "a@b.example", "password": "x", "totp": "123"}, "totp"),
    ],
)
def test_bad_accounts_are_400_naming_the_field(api, body, field):
    response = api.post("/api/v1/bot_accounts", body, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]


def test_a_second_copy_is_409_and_other_organizations_do_not_see_it(api, other_api):
    first = store(api).json()
    again = store(api, email="NoteTaker@acme.example")
    assert again.status_code == 409 and "email" in again.json()["error"]["fields"]
    assert store(api, provider="microsoft").status_code == 201  # the same email at another provider
    assert other_api.get(f"/api/v1/bot_accounts/{first['id']}").status_code == 404
    assert other_api.delete(f"/api/v1/bot_accounts/{first['id']}").status_code == 404
    assert other_api.get("/api/v1/bot_accounts").json() == []


def test_bots_join_as_an_account_of_their_platforms_provider(api):
    google = store(api).json()["id"]
    microsoft = store(api, provider="microsoft", email="bot@acme.onmicrosoft.example").json()["id"]
    bot = api.post("/api/v1/bots", {"meeting_url": MEET, "join_as": google}, format="json")
    assert bot.status_code == 201 and bot.json()["join_as"] == google
    teams = api.post("/api/v1/bots", {"meeting_url": TEAMS, "join_as": microsoft}, format="json")
    assert teams.status_code == 201 and Bot.objects.get(pk=teams.json()["id"]).join_as_id == microsoft
    assert api.post("/api/v1/bots", {"meeting_url": MEET[:-3] + "xyz"}, format="json").json()["join_as"] is None
    for url, account, words in [
        (MEET.replace("hij", "hik"), microsoft, "microsoft account"),
        (ZOOM, google, "zoom tokens"),
        (MEET.replace("hij", "hil"), "bac_nope", "no bot account"),
    ]:
        refused = api.post("/api/v1/bots", {"meeting_url": url, "join_as": account}, format="json")
        assert refused.status_code == 400, refused.json()
        error = refused.json()["error"]
        assert list(error["fields"]) == ["join_as"] and words in error["message"], error


def test_an_account_in_use_cannot_be_deleted_until_its_bots_finish(api):
    account = store(api).json()["id"]
    bot = api.post("/api/v1/bots", {"meeting_url": MEET, "join_as": account}, format="json").json()
    refused = api.delete(f"/api/v1/bot_accounts/{account}")
    assert refused.status_code == 409 and bot["id"] in refused.json()["error"]["message"]
    Bot.objects.filter(pk=bot["id"]).update(status=BotStatus.ENDED)
    assert api.delete(f"/api/v1/bot_accounts/{account}").status_code == 204
    assert Bot.objects.get(pk=bot["id"]).join_as_id is None


def test_keys_rotate(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [old]
    token = secret_encrypt("hunter2")
    settings.ENCRYPTION_KEYS = [new, old]
    assert secret_decrypt(token) == "hunter2"
    assert secret_decrypt(secret_encrypt("again")) == "again"
