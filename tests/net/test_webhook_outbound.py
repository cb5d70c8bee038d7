"""Webhook delivery through the outbound check: pinned, re-checked when the DNS cache expires, no redirects."""

import pytest

from meetings.events import EventType, publish
from tests.factories import MeetingFactory, event_data
from tests.net.servers import INTERNAL, PUBLIC, Route
from webhooks import transport
from webhooks.delivery import stream_run
from webhooks.models import WebhookDelivery
from webhooks.services import endpoint_create

pytestmark = pytest.mark.usefixtures("production_rules")
NAME = "hooks.example.test"


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.WEBHOOK_TIMEOUT_S = 1.0
    settings.WEBHOOK_RETRY_BASE_S = 0.01
    settings.WEBHOOK_RETRY_MAX_S = 0.02
    transport._resolved.clear()
    transport._pools.clear()
    yield
    transport._pools.clear()


@pytest.fixture
def meeting(db):
    return MeetingFactory()


def _deliver(meeting, endpoint, name: str):
    publish(meeting, EventType.PARTICIPANT_JOINED, event_data(EventType.PARTICIPANT_JOINED, name=name))
    WebhookDelivery.objects.filter(status="pending").update(next_attempt_at=None)
    stream_run(endpoint_id=endpoint.id, meeting_id=meeting.id)


def test_a_name_that_turns_private_is_refused_once_its_checked_answer_expires(meeting, http_pair, dns):
    public, internal = http_pair
    public.routes["/hook"] = internal.routes["/hook"] = Route(body=b'{"ok":true}')
    dns.set(NAME, PUBLIC, INTERNAL)
    endpoint = endpoint_create(organization=meeting.organization, url=f"http://{NAME}:{public.port}/hook")

    _deliver(meeting, endpoint, "A")
    _deliver(meeting, endpoint, "B")  # within 10 s: the checked answer is reused, no lookup
    assert dns.lookups == [NAME]
    assert [(r[0], r[1], r[2]) for r in public.requests] == [("POST", "/hook", f"{NAME}:{public.port}")] * 2
    assert list(WebhookDelivery.objects.values_list("status", flat=True)) == ["delivered", "delivered"]

    transport._resolved.clear()  # the 10 s have passed
    _deliver(meeting, endpoint, "C")
    assert dns.lookups == [NAME, NAME]
    refused = WebhookDelivery.objects.get(event__sequence=3)
    assert refused.status == "pending" and refused.last_status_code is None
    assert refused.last_error == (
        f"refused: the webhook URL: '{NAME}' resolves to 127.0.0.2, a loopback address; "
        "only public addresses are allowed"
    )
    assert internal.requests == [] and len(public.requests) == 2


def test_a_redirect_to_a_private_address_is_not_followed(meeting, http_pair, dns):
    public, internal = http_pair
    public.routes["/hook"] = Route(307, headers={"Location": f"http://{INTERNAL}:{internal.port}/hook"})
    internal.routes["/hook"] = Route(body=b'{"ok":true}')
    dns.set(NAME, PUBLIC)
    endpoint = endpoint_create(organization=meeting.organization, url=f"http://{NAME}:{public.port}/hook")
    _deliver(meeting, endpoint, "A")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status_code == 307
    assert [r[1] for r in public.requests] == ["/hook"] and internal.requests == []


@pytest.mark.parametrize(
    "url",
    ["http://[::ffff:10.0.0.1]/hook", "http://0.0.0.0:9000/hook", "http://[::]/hook", "http://localhost:9000/hook"],
)
def test_registration_refuses_literal_private_addresses(api, url):
    response = api.post("/api/v1/webhooks", {"url": url}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "unsafe_url" and "only public addresses" in error["fields"]["url"][0]


def test_metadata_addresses_are_refused_even_in_development(api, settings):
    settings.ALLOW_PRIVATE_URLS = True
    assert api.post("/api/v1/webhooks", {"url": "http://127.0.0.1:9000/hook"}, format="json").status_code == 201
    response = api.post("/api/v1/webhooks", {"url": "http://169.254.169.254/latest/meta-data/"}, format="json")
    assert response.status_code == 400 and "cloud metadata" in response.json()["error"]["fields"]["url"][0]
    bot = api.post(
        "/api/v1/bots",
        {"meeting_url": "https://meet.google.com/abc-defg-hij", "webhook_url": "http://[fd00:ec2::254]/hook"},
        format="json",
    )
    assert bot.status_code == 400 and "cloud metadata" in bot.json()["error"]["fields"]["webhook_url"][0]
