"""The Sasha Meeting Room API dialect (seed 000) as its clients speak it: paths, auth, bodies, errors,
ids, and what each call does to the bot behind it."""

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from bots.models import Bot
from compat.sasha.ids import sasha_meeting_id
from meetings.transcripts import transcript_complete
from tests.conftest import make_client
from tests.factories import SegmentFactory
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db
BASE = "/compat/sasha/api/v1"
MEET = "https://meet.google.com/abc-defg-hij"


@pytest.fixture
def sasha(db):
    """A client that sends the key as Sasha's clients do: X-API-Key, nothing else."""
    keyed = make_client("Sasha users")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=keyed.issued.key)
    client.issued = keyed.issued
    return client


def start(client, **body):
    body = {"url": MEET, "title": "Daily Standup", "callbackUrl": "https://app.example.com/events", **body}
    return client.post(f"{BASE}/meetings/start", body, format="json")


def bot_of(answer) -> Bot:
    return Bot.objects.get(meeting__pk="mtg_" + answer.json()["meetingId"].split("_", 2)[2])


def test_start_answers_201_in_sashas_words_and_creates_a_bot(sasha, media):
    answer = start(sasha, project="acme-corp")
    assert answer.status_code == 201 and answer["Content-Type"] == "application/json"
    body = answer.json()
    assert body["meetingId"].startswith("meeting_") and body["meetingId"].split("_")[1].isdigit()
    assert (body["status"], body["platform"], body["project"]) == ("joining", "google_meet", "acme-corp")
    bot = bot_of(answer)
    assert body["meetingId"] == sasha_meeting_id(bot.meeting)
    assert body["documentPath"] == f"documents/{bot.project_id}/{bot.meeting_id}.md"
    assert (bot.dialect, bot.meeting.title, bot.project.name, bot.api_key.pk) == (
        "sasha",
        "Daily Standup",
        "acme-corp",
        sasha.issued.api_key.pk,
    )
    endpoint = WebhookEndpoint.objects.get(meeting=bot.meeting)
    assert (endpoint.url, endpoint.format) == ("https://app.example.com/events", "sasha")
    assert endpoint.secret == sasha.issued.signing_secret


def test_defaults_project_api_and_bearer_works_too(sasha):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {sasha.issued.key}")
    body = start(client).json()
    assert body["project"] == "api" and "documentPath" in body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": None}, "url"),
        ({"callbackUrl": "not a url"}, "callbackUrl"),
        ({"saveTranscript": "no"}, "saveTranscript"),
        ({"colour": "blue"}, "colour"),
        ({"url": "https://example.com/meeting"}, "url"),
    ],
)
def test_bad_input_is_a_400_in_sashas_shape_naming_the_field(sasha, body, field):
    sent = {k: v for k, v in body.items() if v is not None}
    answer = start(sasha, **sent) if body.get("url", "") is not None else _start_without_url(sasha)
    assert answer.status_code == 400
    error = answer.json()
    assert list(error) == ["error"] and isinstance(error["error"], str) and field in error["error"]


def _start_without_url(client):
    return client.post(f"{BASE}/meetings/start", {"callbackUrl": "https://a.example/e"}, format="json")


def test_keys_and_unknown_paths_answer_json_never_a_redirect(sasha):
    anon = APIClient()
    missing = anon.post(f"{BASE}/meetings/start", {}, format="json")
    assert missing.status_code == 401 and "error" in missing.json()
    anon.credentials(HTTP_X_API_KEY="ntl_wrong")
    assert anon.get(f"{BASE}/meetings/status").json() == {"error": "Invalid API key"}
    for path in (f"{BASE}/meetings/start/", f"{BASE}/nothing", "/compat/sasha/"):
        answer = sasha.post(path, {}, format="json")
        assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
        assert list(answer.json()) == ["error"]


def test_status_lists_active_meetings_and_stop_ends_them(sasha, media):
    first, second = bot_of(start(sasha)), bot_of(start(sasha, url="https://meet.google.com/xyz-abcd-efg"))
    rows = sasha.get(f"{BASE}/meetings/status").json()["meetings"]
    assert [r["meetingId"] for r in rows] == [sasha_meeting_id(first.meeting), sasha_meeting_id(second.meeting)]
    row = rows[0]
    assert {"meetingId", "status", "platform", "title", "startedAt", "participantCount", "segmentCount"} <= set(row)
    assert (row["status"], row["participantCount"], row["segmentCount"]) == ("joining", 0, 0)
    stopped = sasha.post(f"{BASE}/meetings/stop", {"meetingId": row["meetingId"]}, format="json")
    assert stopped.status_code == 200 and stopped.json() == {"meetingId": row["meetingId"], "status": "stopping"}
    first.refresh_from_db()
    assert (first.status, first.end_reason) == ("ended", "left_by_request")  # never dispatched: ends at once
    assert [r["meetingId"] for r in sasha.get(f"{BASE}/meetings/status").json()["meetings"]] == [
        sasha_meeting_id(second.meeting)
    ]
    again = sasha.post(f"{BASE}/meetings/stop", {"meetingId": row["meetingId"]}, format="json")
    assert again.status_code == 409 and "error" in again.json()


def test_ids_of_nothing_and_of_other_organizations_are_404(sasha):
    mine = start(sasha).json()["meetingId"]
    other = make_client("Elsewhere")
    outsider = APIClient()
    outsider.credentials(HTTP_X_API_KEY=other.issued.key)
    for client, meeting_id in ((outsider, mine), (sasha, "meeting_1_nothing"), (sasha, "mtg_abc")):
        answer = client.get(f"{BASE}/meetings/{meeting_id}/transcript")
        assert answer.status_code == 404 and list(answer.json()) == ["error"]
        stop = client.post(f"{BASE}/meetings/stop", {"meetingId": meeting_id}, format="json")
        assert stop.status_code == 404


def test_transcript_and_document(sasha, media):
    answer = start(sasha, project="acme-corp")
    bot = bot_of(answer)
    SegmentFactory(meeting=bot.meeting, speaker="Alice", text="So about the roadmap.")
    SegmentFactory(meeting=bot.meeting, speaker="Bob", text="Q2 is full.")
    meeting_id = answer.json()["meetingId"]
    body = sasha.get(f"{BASE}/meetings/{meeting_id}/transcript").json()
    assert (body["meetingId"], body["status"], body["project"]) == (meeting_id, "joining", "acme-corp")
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("Alice", "So about the roadmap."),
        ("Bob", "Q2 is full."),
    ]
    assert all(s["timestamp"].endswith("Z") for s in body["segments"])

    document = sasha.get(f"{BASE}/meetings/{meeting_id}/document")
    assert document.status_code == 404 and document.json() == {"error": "No saved document for this meeting"}
    transcript_complete(meeting=bot.meeting, bot_id=bot.id, save_document=True)
    document = sasha.get(f"{BASE}/meetings/{meeting_id}/document")
    assert document.status_code == 200 and document["Content-Type"].startswith("text/markdown")
    assert document["Content-Disposition"] == 'attachment; filename="Daily Standup.md"'
    assert "So about the roadmap." in document.content.decode()
    assert (Path(media) / body["documentPath"]).is_file()


def test_save_transcript_false_saves_no_document(sasha, media):
    answer = start(sasha, saveTranscript=False)
    assert "documentPath" not in answer.json()
    bot = bot_of(answer)
    assert bot.settings["transcription"]["save_document"] is False
    SegmentFactory(meeting=bot.meeting)
    transcript_complete(meeting=bot.meeting, bot_id=bot.id, save_document=False)
    assert not list(Path(media).rglob("*.md"))
    assert not bot.meeting.events.filter(type="document.saved").exists()
    document = sasha.get(f"{BASE}/meetings/{answer.json()['meetingId']}/document")
    assert document.status_code == 404 and document.json() == {"error": "No saved document for this meeting"}


def test_projects_api_lists_projects_and_their_meetings(sasha):
    ours = start(sasha, project="acme-corp").json()["meetingId"]
    start(sasha, url="https://meet.google.com/xyz-abcd-efg")
    projects = sasha.get(f"{BASE}/projects").json()["projects"]
    assert {"name": "acme-corp", "meetingCount": 1} in projects and {"name": "api", "meetingCount": 1} in projects
    listed = sasha.get(f"{BASE}/projects/acme-corp/meetings").json()
    assert listed["project"] == "acme-corp" and [m["meetingId"] for m in listed["meetings"]] == [ours]
    missing = sasha.get(f"{BASE}/projects/nope/meetings")
    assert missing.status_code == 404 and list(missing.json()) == ["error"]
