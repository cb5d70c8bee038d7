import re

from rest_framework.test import APIClient

from accounts.models import ApiKey
from accounts.services import api_key_create
from meetings.events import EventType, publish
from tests.factories import MeetingFactory, event_data
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def test_create_a_key_shows_it_once_and_it_works(signed_in, org):
    response = signed_in.post("/dashboard/keys/", {"name": "crm"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    content = response.content.decode()
    key = re.search(r'id="issued-key-value">(ntl_[^<]+)<', content).group(1)
    secret = re.search(r'id="issued-secret-value">(whsec_[^<]+)<', content).group(1)
    stored = ApiKey.objects.get(organization=org, name="crm")
    assert stored.signing_secret == secret and key.startswith(stored.prefix)
    listing = signed_in.get("/dashboard/keys/").content.decode()
    assert stored.prefix in listing and key not in listing and secret not in listing and "never" in listing
    assert APIClient().get("/api/v1/bots", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert "never" not in signed_in.get("/dashboard/keys/").content.decode()  # last use is shown


def test_revoke_a_key(signed_in, org):
    issued = api_key_create(organization=org, name="old")
    response = signed_in.post(f"/dashboard/keys/{issued.api_key.id}/revoke", follow=True)
    assert "was revoked" in response.content.decode()
    assert APIClient().get("/api/v1/bots", HTTP_AUTHORIZATION=f"Token {issued.key}").status_code == 401


def test_keys_of_another_organization_are_invisible(signed_in, other_org):
    issued = api_key_create(organization=other_org, name="theirs")
    assert issued.api_key.prefix not in signed_in.get("/dashboard/keys/").content.decode()
    assert signed_in.post(f"/dashboard/keys/{issued.api_key.id}/revoke").status_code == 404
    issued.api_key.refresh_from_db()
    assert issued.api_key.revoked_at is None


def test_add_an_endpoint(signed_in, org):
    response = signed_in.post(
        "/dashboard/webhooks/",
        {
            "url": "http://127.0.0.1:9/hooks",
            "event_types": ["segment.finalized", "participant.joined"],
            "format": "native",
        },
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get(organization=org)
    assert endpoint.event_types == ["segment.finalized", "participant.joined"]
    assert endpoint.secret in response.content.decode()  # shown once
    assert endpoint.secret not in signed_in.get("/dashboard/webhooks/").content.decode()


def test_endpoint_errors_read_like_the_api(signed_in, api, org):
    api_message = api.post("/api/v1/webhooks", {"url": "not a url"}, format="json").json()["error"]["fields"]["url"]
    response = signed_in.post("/dashboard/webhooks/", {"url": "not a url", "format": "native"})
    assert response.status_code == 400
    assert re.findall(r'data-error-for="url">([^<]*)<', response.content.decode()) == api_message
    assert not WebhookEndpoint.objects.filter(organization=org).exists()


def test_edit_disable_enable_and_delete_an_endpoint(signed_in, org):
    endpoint = WebhookEndpoint.objects.create(organization=org, url="http://127.0.0.1:9/a", secret="s")
    assert signed_in.get(f"/dashboard/webhooks/{endpoint.id}/edit").status_code == 200
    saved = signed_in.post(
        f"/dashboard/webhooks/{endpoint.id}/edit", {"url": "http://127.0.0.1:9/b", "format": "sasha"}
    )
    assert saved.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == "http://127.0.0.1:9/b" and endpoint.format == "sasha"
    signed_in.post(f"/dashboard/webhooks/{endpoint.id}/toggle")
    endpoint.refresh_from_db()
    assert endpoint.active is False
    assert "disabled" in signed_in.get("/dashboard/webhooks/").content.decode()
    signed_in.post(f"/dashboard/webhooks/{endpoint.id}/toggle")
    endpoint.refresh_from_db()
    assert endpoint.active is True
    signed_in.post(f"/dashboard/webhooks/{endpoint.id}/delete")
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_deliveries_show_status_code_and_latency_and_can_be_redelivered(
    signed_in, org, django_capture_on_commit_callbacks
):
    endpoint = WebhookEndpoint.objects.create(organization=org, url="http://127.0.0.1:9/a", secret="s")
    meeting = MeetingFactory(organization=org)
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="Alice"))
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=3, last_status_code=503)
    WebhookAttempt.objects.create(delivery=delivery, status_code=500, latency_ms=80)
    WebhookAttempt.objects.create(delivery=delivery, status_code=503, latency_ms=42)
    content = signed_in.get("/dashboard/webhooks/").content.decode()
    row = content[content.index(f'data-delivery-id="{delivery.id}"') :]
    assert "participant.joined" in row and "503" in row and "42 ms" in row
    with django_capture_on_commit_callbacks() as callbacks:
        signed_in.post(f"/dashboard/deliveries/{delivery.id}/redeliver")
    delivery.refresh_from_db()
    assert delivery.status == "pending" and len(callbacks) == 1


def test_endpoints_of_another_organization_are_404(signed_in, other_org):
    endpoint = WebhookEndpoint.objects.create(organization=other_org, url="http://127.0.0.1:9/x", secret="s")
    meeting = MeetingFactory(organization=other_org)
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name="Alice"))
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert endpoint.url not in signed_in.get("/dashboard/webhooks/").content.decode()
    for url in (
        f"/dashboard/webhooks/{endpoint.id}/toggle",
        f"/dashboard/webhooks/{endpoint.id}/delete",
        f"/dashboard/webhooks/{endpoint.id}/edit",
        f"/dashboard/deliveries/{delivery.id}/redeliver",
    ):
        assert signed_in.post(url, {"url": "http://127.0.0.1:9/y", "format": "native"}).status_code == 404, url
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.url == "http://127.0.0.1:9/x"


def test_send_a_test_event_to_a_real_receiver(signed_in, org):
    from webhooks.receiver import Receiver

    receiver = Receiver().start()
    try:
        endpoint = WebhookEndpoint.objects.create(organization=org, url=receiver.url, secret="whsec_test")
        page = signed_in.post(f"/dashboard/webhooks/{endpoint.id}/test", follow=True).content.decode()
        assert re.search(rf"{re.escape(receiver.url)} answered 200 in \d+ ms", page)
        (request,) = receiver.snapshot()
        assert request.json()["type"] == "webhook.test"
        receiver.mode = "error"
        page = signed_in.post(f"/dashboard/webhooks/{endpoint.id}/test", follow=True).content.decode()
        assert "The test event was not accepted" in page and "answered 500" in page
    finally:
        receiver.stop()
