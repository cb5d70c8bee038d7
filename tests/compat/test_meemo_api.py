"""The GL Meemo dialect (seed 004) as its SDK speaks it: the OAuth token, errors in Meemo's shape,
meeting create and its refusals, reads, filters and paging, and 403 for another organization's."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.utils import timezone

from bots.models import Bot, BotStatus
from calendars.connect import calendar_create
from calendars.models import CalendarEvent
from compat.meemo.ids import meemo_id
from meetings.models import Meeting
from tests.conftest import make_client
from tests.factories import ParticipantFactory, SegmentFactory

pytestmark = pytest.mark.django_db
BASE = "/compat/meemo"
API = f"{BASE}/api/v1/external"
MEET = "https://meet.google.com/abc-defg-hij"


def form_post(client, path: str, form: dict):
    """As the SDK posts to the token endpoints: form-encoded."""
    return client.post(path, urlencode(form), content_type="application/x-www-form-urlencoded")


def token_for(client) -> dict:
    issued = client.issued
    form = {"grant_type": "client_credentials", "client_id": issued.api_key.prefix, "client_secret": issued.key}
    client.credentials()
    answer = form_post(client, f"{BASE}/api/auth/token/", form)
    assert answer.status_code == 200, answer.content
    return answer.json()


def meemo_client(name: str):
    client = make_client(name)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(client)['access_token']}")
    client.org_id = meemo_id(client.organization.id)
    return client


@pytest.fixture
def mm(db):
    return meemo_client("Meemo users")


def create(client, **body):
    return client.post(f"{API}/meeting/", {"organization_id": client.org_id, "title": "Weekly", **body}, format="json")


def test_the_token_is_signed_expiring_and_not_the_key(db):
    client = make_client("Token users")
    token = token_for(client)
    assert token["token_type"] == "Bearer" and token["expires_in"] == 10800 and token["scope"]
    assert client.issued.key not in token["access_token"]
    claims = signing.loads(token["access_token"], salt="compat.meemo.access-token")
    assert claims == {"key": client.issued.api_key.pk}


@pytest.mark.parametrize(
    "form, status, error",
    [
        ({"grant_type": "client_credentials", "client_id": "ntl_nope0000"}, 401, "invalid_client"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials"}, 400, "invalid_request"),
    ],
)
def test_a_bad_token_request_is_answered_in_oauth_words(db, form, status, error):
    client = make_client("Token users")
    form = {"client_id": client.issued.api_key.prefix, "client_secret": client.issued.key, **form}
    if error == "invalid_request":
        form.pop("client_secret")
    client.credentials()
    answer = form_post(client, f"{BASE}/api/auth/token/", form)
    assert answer.status_code == status and answer.json()["error"] == error


def test_the_key_itself_or_a_forged_token_is_a_401_in_meemo_shape(mm):
    for value in (mm.issued.key, "forged.token:value", signing.dumps({"key": mm.issued.api_key.pk}, salt="other")):
        mm.credentials(HTTP_AUTHORIZATION=f"Bearer {value}")
        answer = mm.get(f"{API}/meeting/")
        assert answer.status_code == 401
        error = answer.json()["error"]
        assert error["code"] and "token" in error["message"] and error["request_id"]
    mm.credentials()
    assert mm.get(f"{API}/topics/").status_code == 401


def test_a_revoked_token_stops_working(mm):
    token = mm._credentials["HTTP_AUTHORIZATION"].split()[1]
    form = {"client_id": mm.issued.api_key.prefix, "client_secret": mm.issued.key, "token": token}
    assert form_post(mm, f"{BASE}/api/auth/revoke-token/", form).status_code == 200
    assert mm.get(f"{API}/topics/").status_code == 401


def test_create_a_bot_meeting_keeps_what_meemo_answers_back(mm):
    join_at = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    calendar = {"event_id": "evt-1", "summary": "Weekly sync", "meeting_link": MEET, "attendees": []}
    answer = create(
        mm,
        bot_meeting_url=MEET,
        bot_join_at=join_at.isoformat(),
        speaker_count=3,
        topic_id=1,
        participants=["ann@example.com"],
        calendar_event=calendar,
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    bot = Bot.objects.get(meeting__title="Weekly")
    assert body["id"] == meemo_id(bot.meeting_id) and body["status"] == "upcoming"
    assert bot.status == BotStatus.SCHEDULED and bot.join_at == join_at and bot.dialect == "meemo"
    assert bot.settings["transcription"]["language"] == "en"
    assert body["num_cluster"] == 3 and body["calendar_event"]["event_id"] == "evt-1"
    assert body["host"]["id"] == mm.org_id and body["end_time"] is None
    assert body["recording"]["status"] == "pending"
    people = mm.get(f"{API}/meeting/{body['id']}/participants/").json()
    assert people["participants"] == [
        {"name": "ann@example.com", "id": None, "email": "ann@example.com", "position": "", "department": ""}
    ]


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "bot_meeting_url"),
        ({"bot_meeting_url": MEET, "file_url": "https://files.example.com/a.mp3"}, "file_url"),
        ({"file_url": "https://files.example.com/a.mp3", "bot_join_at": "2030-01-01T00:00:00Z"}, "bot_join_at"),
        ({"bot_meeting_url": MEET, "bot_join_at": "2020-01-01T00:00:00Z"}, "bot_join_at"),
        ({"bot_meeting_url": MEET, "speaker_count": 0}, "speaker_count"),
        ({"bot_meeting_url": "https://example.com/not-a-meeting"}, "bot_meeting_url"),
        ({"bot_meeting_url": MEET, "user_token": "abc"}, "user_token"),
        ({"bot_meeting_url": MEET, "topic_id": 999}, "topic_id"),
        ({"bot_meeting_url": MEET, "topic_id": 2}, "topic_id"),  # German, and tests' model is English only
        ({"bot_meeting_url": MEET, "surprise": 1}, "surprise"),
        ({"file_url": "https://files.example.com/a.mp3", "calendar_event": {"event_id": "e"}}, "calendar_event"),
    ],
)
def test_bad_creates_are_400s_naming_the_field(mm, body, field):
    answer = create(mm, **body)
    assert answer.status_code == 400, answer.content
    error = answer.json()["error"]
    assert field in error["params"] and field in error["message"]
    assert not Meeting.objects.exists()


def test_a_file_import_is_notula_s_file_transcription(mm, settings):
    answer = create(mm, file_url="https://files.example.com/call.mp3", speaker_count=2)
    assert answer.status_code == 201, answer.content
    meeting = Meeting.objects.get()
    assert meeting.source == Meeting.Source.FILE and answer.json()["status"] == "past"


def test_another_organization_s_meeting_is_403_and_an_unknown_one_404(mm):
    other = meemo_client("Somebody else")
    theirs = create(other, bot_meeting_url=MEET).json()["id"]
    for tail in ("", "transcript/", "summary/", "participants/", "recording/"):
        answer = mm.get(f"{API}/meeting/{theirs}/{tail}")
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "permission_denied"
    assert mm.get(f"{API}/meeting/{theirs + 1}/").status_code == 404
    assert mm.get(f"{API}/meeting/abc/").status_code == 404
    assert create(mm, organization_id=other.org_id, bot_meeting_url=MEET).status_code == 403
    assert mm.get(f"{API}/meeting/", {"organization_id": other.org_id}).status_code == 403


def test_reads_of_a_finished_meeting(mm):
    meeting_id = create(mm, bot_meeting_url=MEET).json()["id"]
    bot = Bot.objects.get()
    now = timezone.now()
    Bot.objects.filter(pk=bot.pk).update(status=BotStatus.ENDED, joined_at=now - timedelta(minutes=5), ended_at=now)
    Meeting.objects.filter(pk=bot.meeting_id).update(
        status=Meeting.Status.COMPLETED, summary="## Budget\nAgreed.", notes="- hire", keywords=["budget"]
    )
    alice = ParticipantFactory(meeting=bot.meeting, name="Alice")
    SegmentFactory(meeting=bot.meeting, participant=alice, speaker="Alice", text="Hello", start_ms=1000, end_ms=2500)
    detail = mm.get(f"{API}/meeting/{meeting_id}/").json()
    assert detail["status"] == "past" and detail["duration_seconds"] == 300 and detail["summary_complete"] is True
    assert detail["transcription"]["status"] == "completed" and detail["end_time"]
    transcript = mm.get(f"{API}/meeting/{meeting_id}/transcript/").json()
    assert transcript["total_segments"] == 1
    assert transcript["transcripts"] == [{"speaker": "Alice", "text": "Hello", "start_time": 1.0, "end_time": 2.5}]
    summary = mm.get(f"{API}/meeting/{meeting_id}/summary/").json()
    assert (summary["summary"], summary["notes"], summary["keywords"]) == ("## Budget\nAgreed.", "- hire", ["budget"])
    people = mm.get(f"{API}/meeting/{meeting_id}/participants/").json()
    assert people["participants"][0]["id"] == meemo_id(alice.id) and people["total_participants"] == 1
    found = mm.get(f"{API}/meeting/", {"participants": str(meemo_id(alice.id))}).json()
    assert [row["id"] for row in found["results"]] == [meemo_id(bot.meeting_id)]


def test_list_filters_and_pages(mm):
    ids = [create(mm, title=f"Standup {n}", bot_meeting_url=f"{MEET}?n={n}").json()["id"] for n in range(3)]
    create(
        mm, title="Planning", bot_meeting_url="https://meet.google.com/xyz-abcd-efg",
        calendar_event={"event_id": "cal-9", "summary": "Quarterly planning", "description": "Budget talk"},
    )  # fmt: skip
    listing = lambda **q: mm.get(f"{API}/meeting/", q).json()  # noqa: E731

    page = listing(title="standup", size=2)
    assert page["count"] == 3 and len(page["results"]) == 2 and page["previous"] is None
    assert page["next"].startswith("http://testserver/compat/meemo/") and "page=2" in page["next"]
    second = listing(title="standup", size=2, page=2)
    assert [r["id"] for r in page["results"] + second["results"]] == list(reversed(ids)) and second["next"] is None
    assert [r["title"] for r in listing(calendar_event_id="cal-9")["results"]] == ["Planning"]
    assert [r["title"] for r in listing(from_calendar="true")["results"]] == ["Planning"]
    assert listing(from_calendar="false")["count"] == 3
    assert listing(calendar_event_name="quarterly")["count"] == 1
    assert listing(calendar_event_description="budget")["count"] == 1
    assert listing(meeting_link="xyz-abcd")["count"] == 1
    assert listing(status="ongoing")["count"] == 4 and listing(status="past")["count"] == 0
    assert listing(summary_complete="true")["count"] == 0
    today = timezone.now().date().isoformat()
    assert listing(created_after=today, created_before=today)["count"] == 4
    assert listing(created_after="2100-01-01")["count"] == 0
    assert listing(search="planning")["count"] == 1


@pytest.mark.parametrize(
    "query",
    [{"status": "soon"}, {"size": "0"}, {"created_after": "yesterday"}, {"x": "1"}, {"participants": "9" * 44}],
)
def test_a_bad_filter_is_a_400_naming_it(mm, query):
    answer = mm.get(f"{API}/meeting/", query)
    assert answer.status_code == 400 and list(query)[0] in answer.json()["error"]["params"]


def test_topics_usage_organizations_and_json_404s(mm):
    topics = mm.get(f"{API}/topics/").json()
    assert topics[0] == {"id": 1, "name": "English", "alias": "en", "language": "en"}
    assert mm.get(f"{API}/webhooks/available-organizations/").json() == [{"id": mm.org_id, "name": "Meemo users"}]
    create(mm, bot_meeting_url=MEET)
    usage = {r["capability_name"]: r for r in mm.get(f"{API}/usage/").json()["results"]}
    assert usage["meetings"]["usage"] == 1.0 and usage["transcription_minutes"]["usage"] == 0.0
    missing = mm.get(f"{API}/meeting")  # no trailing slash: a JSON 404, never a redirect
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_upcoming_calendar_meetings_come_from_the_organization_s_calendars(mm):
    assert mm.get(f"{API}/calendar/upcoming-meetings/").json() == {"integrated": False, "results": []}
    calendar = calendar_create(
        organization=mm.organization, provider="ics", credentials={"ics_url": "https://cal.example/x.ics"}
    )
    now = timezone.now()
    for number, hours in enumerate((-3, 2, 1)):
        start = now + timedelta(hours=hours)
        CalendarEvent.objects.create(
            calendar=calendar, provider_event_id=f"u{number}", start=start, end=start + timedelta(minutes=30)
        )
    answer = mm.get(f"{API}/calendar/upcoming-meetings/", {"limit": 5}).json()
    assert answer["integrated"] is True
    assert [row["event_id"] for row in answer["results"]] == ["u2", "u1"]  # still to come, soonest first
    assert {row["status"] for row in answer["results"]} == {"upcoming"}
    assert answer["results"][0]["organization_id"] == mm.org_id
