"""Django admin for support: every model registered, every page loads, the two support actions work."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.bot_accounts import bot_account_create
from accounts.models import IdempotencyRecord, ZoomConnection
from accounts.services import api_key_create
from accounts.transcription_default import transcription_default_set
from accounts.transcription_keys import transcription_key_set
from bots.models import BotEvent, BotStatus
from bots.states import bot_apply_event
from calendars.connect import calendar_create
from calendars.models import CalendarEvent
from meetings.chat import chat_message_record
from meetings.events import EventType, publish
from meetings.models import ParticipantEvent, Recording
from tests.factories import BotFactory, ParticipantFactory, SegmentFactory, event_data
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

APPS = ("accounts", "meetings", "bots", "webhooks", "calendars")


def _models():
    return [model for label in APPS for model in apps.get_app_config(label).get_models()]


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("support", "support@example.com", None)
    client.force_login(user)
    return client


@pytest.fixture
def world(db):
    """One row of every model."""
    bot = BotFactory(status=BotStatus.QUEUED)
    meeting = bot.meeting
    issued = api_key_create(organization=meeting.organization, name="ci")
    IdempotencyRecord.objects.create(
        api_key=issued.api_key,
        key="a-1",
        fingerprint="0" * 64,
        status_code=201,
        content_type="application/json",
        body="{}",
    )
    bot_apply_event(bot, "join_started")
    person = ParticipantFactory(meeting=meeting, name="Alice")
    ParticipantEvent.objects.create(meeting=meeting, participant=person, kind="join", occurred_at=timezone.now())
    SegmentFactory(meeting=meeting, participant=person)
    Recording.objects.create(meeting=meeting, kind="audio", format="mp3", file="recordings/a.mp3")
    chat_message_record(meeting=meeting, sender="Alice", text="Hello", sent_at=timezone.now(), offset_ms=0)
    endpoint = WebhookEndpoint.objects.create(organization=meeting.organization, url="https://hooks.example/a")
    event = publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="Alice"))
    delivery = WebhookDelivery.objects.get(endpoint=endpoint, event=event)
    WebhookAttempt.objects.create(delivery=delivery, status_code=500, error="server error")
    bot_account_create(organization=meeting.organization, provider="google", email="a@acme.example", password="pw")
    transcription_key_set(organization=meeting.organization, provider="deepgram", api_key="dg-key")
    transcription_default_set(organization=meeting.organization, backend="deepgram", language="de")
    ZoomConnection.objects.create(
        organization=meeting.organization,
        zoom_user_id="u_a",
        email="a@acme.example",
        access_token_encrypted="x",
        refresh_token_encrypted="y",
        access_expires_at=timezone.now(),
    )
    calendar = calendar_create(
        organization=meeting.organization, provider="ics", credentials={"ics_url": "https://cal.example/x.ics"}
    )
    CalendarEvent.objects.create(
        calendar=calendar, provider_event_id="u1", start=timezone.now(), end=timezone.now(), bot=bot
    )
    return {"bot": bot, "meeting": meeting, "endpoint": endpoint, "delivery": delivery}


def test_every_model_is_registered():
    missing = [m.__name__ for m in _models() if not admin.site.is_registered(m)]
    assert not missing


@pytest.mark.parametrize("model", _models(), ids=lambda m: m._meta.label)
def test_changelist_search_and_change_pages_load(staff, world, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = staff.get(changelist)
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    model_admin = admin.site._registry[model]
    if model_admin.search_fields:
        assert staff.get(changelist, {"q": "a"}).status_code == 200
    for spec in response.context["cl"].filter_specs:
        for choice in spec.choices(response.context["cl"]):
            assert staff.get(changelist + choice["query_string"]).status_code == 200
            break
    obj = model.objects.first()
    # Admin links quote the pk: ids like org_2C... would otherwise read as "org,...".
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    page = staff.get(change)
    assert page.status_code == 200 and page.context["original"] == obj
    if model_admin.has_add_permission(response.wsgi_request):
        assert staff.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_ask_bot_to_leave_action(staff, db):
    queued = BotFactory(status=BotStatus.QUEUED)
    in_call = BotFactory(status=BotStatus.IN_CALL)
    ended = BotFactory(status=BotStatus.ENDED, end_reason="everyone_left")
    response = staff.post(
        reverse("admin:bots_bot_changelist"),
        {"action": "ask_to_leave", "_selected_action": [queued.pk, in_call.pk, ended.pk]},
        follow=True,
    )
    assert response.status_code == 200
    queued.refresh_from_db()
    in_call.refresh_from_db()
    ended.refresh_from_db()
    assert (queued.status, queued.end_reason) == ("ended", "left_by_request")
    assert in_call.status == "in_call" and in_call.leave_requested_at is not None
    assert ended.status == "ended" and ended.leave_requested_at is None
    assert not BotEvent.objects.filter(bot=ended).exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Asked 2 bot(s) to leave" in m for m in messages)
    assert any(ended.id in m for m in messages)


def test_redeliver_webhook_action(staff, world, django_capture_on_commit_callbacks):
    delivery = world["delivery"]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=7, next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff.post(
            reverse("admin:webhooks_webhookdelivery_changelist"),
            {"action": "redeliver", "_selected_action": [delivery.pk]},
            follow=True,
        )
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.next_attempt_at is None
    assert delivery.attempt_log.count() == 1  # the history is kept
    assert len(callbacks) == 1  # handed to the delivery queue after commit


def test_api_keys_cannot_be_added_in_admin_but_can_be_revoked(staff, world):
    assert staff.get(reverse("admin:accounts_apikey_add")).status_code == 403
    key = world["meeting"].organization.api_keys.get()
    staff.post(reverse("admin:accounts_apikey_changelist"), {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    page = staff.get(reverse("admin:accounts_apikey_change", args=[quote(key.pk)])).content.decode()
    assert key.key_hash not in page and key.signing_secret not in page


def test_admin_needs_staff(client, db):
    response = client.get(reverse("admin:bots_bot_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_meeting_change_page_shows_participants(staff, world):
    page = staff.get(reverse("admin:meetings_meeting_change", args=[quote(world["meeting"].pk)])).content.decode()
    assert "Alice" in page
