"""Retries that work: a bot that never got in blocks no retry; Idempotency-Key replays the first answer."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.idempotency import idempotency_records_purge
from accounts.models import IdempotencyRecord
from bots.models import Bot
from meetings.models import Meeting
from tests.conftest import make_client
from webhooks.models import WebhookEndpoint

MEET = "https://meet.google.com/abc-defg-hij"


# --- deduplication -------------------------------------------------------------------------------------


@pytest.mark.parametrize("end_reason", ["admission_denied", "waiting_room_timeout", "meeting_not_found"])
def test_a_bot_that_never_got_in_does_not_block_a_new_one(api, end_reason):
    first = api.post("/api/v1/bots", {"meeting_url": MEET}).json()
    Bot.objects.filter(pk=first["id"]).update(status="ended", end_reason=end_reason, ended_at=timezone.now())
    second = api.post("/api/v1/bots", {"meeting_url": MEET})
    assert second.status_code == 201, second.content


def test_a_bot_that_recorded_the_meeting_still_blocks_and_the_409_names_it(api):
    first = api.post("/api/v1/bots", {"meeting_url": MEET}).json()
    Bot.objects.filter(pk=first["id"]).update(status="ended", joined_at=timezone.now(), ended_at=timezone.now())
    response = api.post("/api/v1/bots", {"meeting_url": MEET})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate_bot"
    assert error["existing_bot_id"] == first["id"] and error["existing_bot_status"] == "ended"
    assert first["id"] in error["message"]


def test_a_bot_still_trying_to_get_in_blocks(api):
    first = api.post("/api/v1/bots", {"meeting_url": MEET}).json()
    Bot.objects.filter(pk=first["id"]).update(status="waiting_room")
    error = api.post("/api/v1/bots", {"meeting_url": MEET}).json()["error"]
    assert error["existing_bot_id"] == first["id"] and error["existing_bot_status"] == "waiting_room"


# --- Idempotency-Key ----------------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_replays_the_first_answer(api):
    headers = {"HTTP_IDEMPOTENCY_KEY": "create-bot-1"}
    first = api.post("/api/v1/bots", {"meeting_url": MEET}, **headers)
    assert first.status_code == 201
    again = api.post("/api/v1/bots", {"meeting_url": MEET}, **headers)
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Bot.objects.count() == 1 and Meeting.objects.count() == 1
    # Without the key the same request is a new one, and meets the deduplication rule.
    assert api.post("/api/v1/bots", {"meeting_url": MEET}).status_code == 409


def test_the_same_key_with_another_request_is_a_422_saying_so(api):
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-7"}
    api.post("/api/v1/bots", {"meeting_url": MEET}, **headers)
    response = api.post("/api/v1/bots", {"meeting_url": "https://zoom.us/j/81234567890"}, **headers)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "idempotency_key_reused" and "Idempotency-Key" in error["fields"]
    other_path = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/a"}, **headers)
    assert other_path.status_code == 422
    assert Bot.objects.count() == 1 and not WebhookEndpoint.objects.exists()


def test_keys_are_per_api_key(api):
    colleague = make_client("Acme")
    headers = {"HTTP_IDEMPOTENCY_KEY": "shared"}
    mine = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/a"}, **headers).json()
    theirs = colleague.post("/api/v1/webhooks", {"url": "https://hooks.example.com/a"}, **headers).json()
    assert mine["id"] != theirs["id"] and WebhookEndpoint.objects.count() == 2


def test_a_failed_request_is_not_kept_and_its_retry_runs(api):
    headers = {"HTTP_IDEMPOTENCY_KEY": "fix-and-retry"}
    assert api.post("/api/v1/bots", {"meeting_url": MEET, "bot_nmae": "x"}, **headers).status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert api.post("/api/v1/bots", {"meeting_url": MEET}, **headers).status_code == 201


@pytest.mark.parametrize("path", ["/api/v1/webhooks", "/api/v1/bots/{bot}/leave", "/api/v1/meetings"])
def test_every_post_under_the_api_is_idempotent(api, path):
    bot = api.post("/api/v1/bots", {"meeting_url": MEET}).json()
    body = {"/api/v1/webhooks": {"url": "https://hooks.example.com/a"}, "/api/v1/meetings": {"file_url": MEET}}
    path = path.format(bot=bot["id"])
    first = api.post(path, body.get(path, {}), HTTP_IDEMPOTENCY_KEY="once")
    assert first.status_code in (201, 202), first.content
    again = api.post(path, body.get(path, {}), HTTP_IDEMPOTENCY_KEY="once")
    assert (again.status_code, again.json()) == (first.status_code, first.json())


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "naïve"])
def test_a_malformed_key_is_400_naming_the_header(api, key):
    response = api.post("/api/v1/bots", {"meeting_url": MEET}, HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert not Bot.objects.exists()


def test_a_key_is_replayed_for_the_ttl_then_forgotten(api, settings):
    headers = {"HTTP_IDEMPOTENCY_KEY": "daily"}
    first = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/a"}, **headers).json()
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=23))
    assert api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/a"}, **headers).json() == first
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    later = api.post("/api/v1/webhooks", {"url": "https://hooks.example.com/a"}, **headers).json()
    assert later["id"] != first["id"]
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert idempotency_records_purge() == 1 and not IdempotencyRecord.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_create_one_bot():
    client = make_client("Acme")
    barrier = threading.Barrier(2)
    answers = []

    def send():
        try:
            barrier.wait()
            answers.append(client.post("/api/v1/bots", {"meeting_url": MEET}, HTTP_IDEMPOTENCY_KEY="race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Bot.objects.count() == 1
