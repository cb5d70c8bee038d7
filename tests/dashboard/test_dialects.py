"""Bots created through a vendor dialect (compat/) show in the dashboard like any other, naming it."""

from rest_framework.test import APIClient

from accounts.services import api_key_create
from bots.models import Bot


def test_dialect_bots_are_listed_and_named(signed_in, org):
    key = api_key_create(organization=org).key
    sasha, aitronos = APIClient(), APIClient()
    sasha.credentials(HTTP_X_API_KEY=key)
    aitronos.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    started = sasha.post(
        "/compat/sasha/api/v1/meetings/start",
        {"url": "https://meet.google.com/abc-defg-hij", "title": "Standup", "callbackUrl": "https://a.example/e"},
        format="json",
    )
    session = aitronos.post(
        "/compat/aitronos/v1/meeting-buddy/sessions", {"meeting_link": "https://zoom.us/j/81234567890"}, format="json"
    )
    assert started.status_code == session.status_code == 201
    by_sasha, by_aitronos = Bot.objects.get(dialect="sasha"), Bot.objects.get(dialect="aitronos")
    page = signed_in.get("/dashboard/bots/").content.decode()
    for bot, label in ((by_sasha, "Sasha Meeting Room API"), (by_aitronos, "Aitronos Meeting Buddy")):
        assert f'data-bot-id="{bot.id}"' in page
        assert f'<div class="muted small" data-dialect="{bot.dialect}">via the {label}</div>' in page
    meeting_page = signed_in.get(f"/dashboard/meetings/{by_sasha.meeting_id}/").content.decode()
    assert "via the Sasha Meeting Room API" in meeting_page and "Standup" in meeting_page
