"""The dashboard's Transcription page: provider keys stored encrypted and never shown, replaced and
deleted, and the organization's default backend given to bots created afterwards through the API."""

import pytest

from accounts.crypto import secret_decrypt
from accounts.models import TranscriptionKey
from accounts.services import api_key_create
from accounts.transcription_keys import transcription_key_set
from tests.conftest import KeyedClient

PAGE = "/dashboard/transcription/"
FIRST = "dg-first-0123456789abcdefWXYZ"
SECOND = "dg-second-9876543210fedcbaQRST"


@pytest.fixture(autouse=True)
def no_server_keys(settings):
    settings.DEEPGRAM_API_KEY = settings.ASSEMBLYAI_API_KEY = ""


def _pages(client) -> str:
    """Every page a member sees, joined: a stored key must appear in none of them."""
    return "".join(client.get(url).content.decode() for url in (PAGE, "/dashboard/", "/dashboard/keys/"))


def test_a_key_is_stored_encrypted_and_never_shown(signed_in, org):
    response = signed_in.post(f"{PAGE}keys", {"provider": "deepgram", "api_key": FIRST}, follow=True)
    assert response.status_code == 200 and "not shown again" in response.content.decode()
    stored = TranscriptionKey.objects.get(organization=org, provider="deepgram")
    assert FIRST not in stored.key_encrypted and secret_decrypt(stored.key_encrypted) == FIRST
    shown = _pages(signed_in) + response.content.decode()
    assert FIRST not in shown and FIRST[:-4] not in shown
    assert "…WXYZ" in signed_in.get(PAGE).content.decode()  # the last 4 characters, nothing more


def test_replace_and_delete_a_key(signed_in, org):
    signed_in.post(f"{PAGE}keys", {"provider": "deepgram", "api_key": FIRST})
    signed_in.post(f"{PAGE}keys", {"provider": "deepgram", "api_key": SECOND})
    stored = TranscriptionKey.objects.get(organization=org, provider="deepgram")
    assert secret_decrypt(stored.key_encrypted) == SECOND
    assert SECOND not in _pages(signed_in)
    response = signed_in.post(f"{PAGE}keys/deepgram/delete", follow=True)
    assert "was deleted" in response.content.decode()
    assert not TranscriptionKey.objects.filter(organization=org).exists()
    assert "No provider keys yet" in signed_in.get(PAGE).content.decode()


def test_a_bad_key_form_is_a_message_and_stores_nothing(signed_in, org):
    response = signed_in.post(f"{PAGE}keys", {"provider": "nope", "api_key": FIRST}, follow=True)
    assert "provider:" in response.content.decode()
    assert not TranscriptionKey.objects.exists()


def test_another_organizations_keys_are_invisible_and_untouchable(signed_in, other_org):
    transcription_key_set(organization=other_org, provider="assemblyai", api_key=FIRST)
    assert "assemblyai</td>" not in signed_in.get(PAGE).content.decode()
    assert signed_in.post(f"{PAGE}keys/assemblyai/delete").status_code == 404
    assert TranscriptionKey.objects.filter(organization=other_org).exists()


def test_the_default_is_applied_to_a_bot_created_afterwards_through_the_api(signed_in, org):
    refused = signed_in.post(f"{PAGE}default", {"backend": "deepgram"}, follow=True).content.decode()
    assert "transcription_keys" in refused
    signed_in.post(f"{PAGE}keys", {"provider": "deepgram", "api_key": FIRST})
    signed_in.post(f"{PAGE}default", {"backend": "deepgram", "model": "nova-2", "language": "fr"})
    assert 'value="deepgram" selected' in signed_in.get(PAGE).content.decode()
    api = KeyedClient(api_key_create(organization=org))
    created = api.post("/api/v1/bots", {"meeting_url": "https://meet.google.com/abc-defg-hij"}, format="json")
    assert created.status_code == 201, created.content
    transcription = created.json()["settings"]["transcription"]
    assert (transcription["backend"], transcription["model"], transcription["language"]) == ("deepgram", "nova-2", "fr")
    signed_in.post(f"{PAGE}default", {"backend": ""})
    assert api.get("/api/v1/transcription_default").json()["backend"] is None
