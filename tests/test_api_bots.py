"""The bots API: create (defaults, settings, validation, deduplication), list, read, change, delete, leave."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bots.models import Bot, BotEvent
from meetings.models import Meeting, MeetingEvent
from tests.factories import BotFactory, MeetingFactory
from webhooks.models import WebhookEndpoint

MEET = "https://meet.google.com/abc-defg-hij"
ZOOM = "https://us02web.zoom.us/j/81234567890?pwd=abc"


def _later(**delta) -> str:
    return (timezone.now() + timedelta(**(delta or {"hours": 2}))).isoformat()


def _fields(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


# --- create ------------------------------------------------------------------------------------


def test_create_with_defaults(api):
    response = api.post("/api/v1/bots", {"meeting_url": MEET}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"].startswith("bot_") and body["meeting_id"].startswith("mtg_")
    assert len(body["id"]) > 20 and not body["id"][4:].isdigit()
    assert body["status"] == "queued" and body["end_reason"] is None
    assert body["platform"] == "google_meet" and body["bot_name"] == "Notula" and body["project"] == "api"
    assert body["settings"]["transcription"]["enabled"] is True
    assert body["settings"]["recording"] == {
        "mode": "audio_only",
        "audio_format": "mp3",
        "include_bot_voice": False,
        "per_participant": False,
    }
    assert body["settings"]["automatic_leave"]["waiting_room_timeout"] == 600
    assert body["metadata"] == {} and body["created_at"] and body["updated_at"]
    bot = Bot.objects.get(pk=body["id"])
    assert bot.organization == api.organization and bot.api_key == api.issued.api_key
    meeting = Meeting.objects.get(pk=body["meeting_id"])
    assert meeting.meeting_url == MEET and meeting.platform == "google_meet"


def test_create_with_every_field(api):
    payload = {
        "meeting_url": ZOOM,
        "bot_name": "Scribe",
        "join_at": _later(days=1),
        "transcription": {"enabled": True, "backend": "openai-whisper", "model": "base", "language": "de"},
        "recording": {
            "mode": "speaker_view",
            "audio_format": "opus",
            "include_bot_voice": True,
            "per_participant": True,
        },
        "automatic_leave": {
            "waiting_room_timeout": 120,
            "noone_joined_timeout": 300,
            "everyone_left_timeout": 30,
            "silence_timeout": 900,
            "max_duration": 7200,
            "recording_permission_denied_timeout": 60,
        },
        "entry_message": "Hi, I take notes.",
        "bot_image_url": "https://cdn.example.com/bot.png",
        "webhook_url": "https://hooks.example.com/notula",
        "metadata": {"deal": "42", "owner": "jane"},
        "deduplication_key": "deal-42-kickoff",
        "project": "sales",
    }
    response = api.post("/api/v1/bots", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "scheduled" and body["platform"] == "zoom" and body["project"] == "sales"
    assert body["bot_name"] == "Scribe" and body["entry_message"] == "Hi, I take notes."
    assert body["settings"]["transcription"]["backend"] == "openai-whisper"
    assert body["settings"]["transcription"]["partials"] is True  # the default kept
    assert body["settings"]["recording"] == {
        "mode": "speaker_view",
        "audio_format": "opus",
        "include_bot_voice": True,
        "per_participant": True,
    }
    assert body["settings"]["automatic_leave"] == payload["automatic_leave"]
    assert body["metadata"] == payload["metadata"] and body["deduplication_key"] == "deal-42-kickoff"
    assert body["webhook_url"] == payload["webhook_url"] and body["bot_image_url"] == payload["bot_image_url"]
    endpoint = WebhookEndpoint.objects.get(meeting_id=body["meeting_id"])
    assert endpoint.url == payload["webhook_url"] and endpoint.secret == api.issued.signing_secret


def test_join_at_close_to_now_queues_at_once(api):
    response = api.post("/api/v1/bots", {"meeting_url": MEET, "join_at": _later(seconds=10)}, format="json")
    assert response.json()["status"] == "queued"


@pytest.mark.parametrize(
    "payload,field",
    [
        ({}, "meeting_url"),
        ({"meeting_url": ""}, "meeting_url"),
        ({"meeting_url": 42}, "meeting_url"),
        ({"meeting_url": "https://example.com/meeting"}, "meeting_url"),
        ({"meeting_url": MEET, "colour": "blue"}, "colour"),
        ({"meeting_url": MEET, "join_at": "2001-01-01T10:00:00Z"}, "join_at"),
        ({"meeting_url": MEET, "join_at": "next tuesday"}, "join_at"),
        ({"meeting_url": MEET, "bot_name": ""}, "bot_name"),
        ({"meeting_url": MEET, "bot_name": "x" * 101}, "bot_name"),
        ({"meeting_url": MEET, "bot_name": {"a": 1}}, "bot_name"),
        ({"meeting_url": MEET, "metadata": ["a"]}, "metadata"),
        ({"meeting_url": MEET, "metadata": "deal=42"}, "metadata"),
        ({"meeting_url": MEET, "transcription": "yes"}, "transcription"),
        ({"meeting_url": MEET, "bot_image_url": "not a url"}, "bot_image_url"),
        ({"meeting_url": MEET, "webhook_url": "ftp://hooks.example.com"}, "webhook_url"),
        ({"meeting_url": MEET, "deduplication_key": ["k"]}, "deduplication_key"),
    ],
)
def test_create_validation_names_the_field(api, payload, field):
    fields = _fields(api.post("/api/v1/bots", payload, format="json"))
    assert field in fields
    assert not Bot.objects.exists()


@pytest.mark.parametrize(
    "group,value,inner",
    [
        ("automatic_leave", {"waiting_room_timeout": -5}, "waiting_room_timeout"),
        ("automatic_leave", {"max_duration": "long"}, "max_duration"),
        ("automatic_leave", {"max_duration": 10**9}, "max_duration"),
        ("automatic_leave", {"lunch_break": 5}, "lunch_break"),
        ("recording", {"mode": "gallery"}, "mode"),
        ("recording", {"audio_format": "aiff"}, "audio_format"),
        ("recording", {"per_participant": "each"}, "per_participant"),
        ("transcription", {"backend": "magic"}, "backend"),
        ("transcription", {"enabled": "sometimes"}, "enabled"),
        ("streaming", {"audio_url": "http://not-a-websocket"}, "audio_url"),
        ("streaming", {"input": "http://not-a-websocket"}, "input"),
        ("streaming", {"input": "ws://a.example/in", "input_sample_rate": 44100}, "input_sample_rate"),
    ],
)
def test_nested_settings_errors_name_the_nested_field(api, group, value, inner):
    fields = _fields(api.post("/api/v1/bots", {"meeting_url": MEET, group: value}, format="json"))
    assert inner in fields[group]


def test_webhook_url_to_a_private_address_refused_when_not_allowed(api, settings):
    settings.ALLOW_PRIVATE_URLS = False
    fields = _fields(
        api.post("/api/v1/bots", {"meeting_url": MEET, "webhook_url": "http://10.0.0.5/hook"}, format="json")
    )
    assert "private" in fields["webhook_url"][0]


# --- deduplication ---------------------------------------------------------------------------------


def test_same_deduplication_key_is_409_naming_the_bot(api):
    first = api.post("/api/v1/bots", {"meeting_url": MEET, "deduplication_key": "k1"}, format="json").json()
    response = api.post("/api/v1/bots", {"meeting_url": ZOOM, "deduplication_key": "k1"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate_bot" and error["existing_bot_id"] == first["id"]
    assert first["id"] in error["message"]
    assert Bot.objects.count() == 1


def test_same_url_without_key_is_409(api):
    first = api.post("/api/v1/bots", {"meeting_url": MEET}, format="json").json()
    response = api.post("/api/v1/bots", {"meeting_url": MEET, "bot_name": "Other"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["existing_bot_id"] == first["id"]


def test_different_keys_for_the_same_url_are_two_bots(api):
    assert api.post("/api/v1/bots", {"meeting_url": MEET, "deduplication_key": "a"}, format="json").status_code == 201
    assert api.post("/api/v1/bots", {"meeting_url": MEET, "deduplication_key": "b"}, format="json").status_code == 201


def test_no_conflict_after_the_window(api, settings):
    first = api.post("/api/v1/bots", {"meeting_url": MEET, "deduplication_key": "k"}, format="json").json()
    Bot.objects.filter(pk=first["id"]).update(created_at=timezone.now() - timedelta(seconds=120))
    settings.NOTULA_DEDUP_WINDOW_S = 300
    assert api.post("/api/v1/bots", {"meeting_url": MEET, "deduplication_key": "k"}, format="json").status_code == 409
    settings.NOTULA_DEDUP_WINDOW_S = 60
    assert api.post("/api/v1/bots", {"meeting_url": MEET, "deduplication_key": "k"}, format="json").status_code == 201
    assert api.post("/api/v1/bots", {"meeting_url": ZOOM}, format="json").status_code == 201


def test_a_failed_bot_does_not_block_a_retry(api):
    first = api.post("/api/v1/bots", {"meeting_url": MEET}, format="json").json()
    Bot.objects.filter(pk=first["id"]).update(status="failed")
    assert api.post("/api/v1/bots", {"meeting_url": MEET}, format="json").status_code == 201


# --- list ----------------------------------------------------------------------------------------


def _bot(api, **kwargs):
    meeting = MeetingFactory(
        organization=api.organization,
        meeting_url=kwargs.pop("meeting_url", MEET),
        platform=kwargs.pop("platform", "google_meet"),
    )
    return BotFactory(meeting=meeting, **kwargs)


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [b["id"] for b in response.json()["results"]]


def test_cursor_pagination_walks_every_bot_once_newest_first(api):
    bots = [_bot(api) for _ in range(7)]
    expected = [b.id for b in sorted(bots, key=lambda b: b.created_at, reverse=True)]
    seen, url = [], "/api/v1/bots?limit=3"
    pages = 0
    while url:
        body = api.get(url).json()
        assert len(body["results"]) <= 3
        seen += [b["id"] for b in body["results"]]
        url = body["next"]
        pages += 1
    assert seen == expected and pages == 3
    back = api.get(api.get("/api/v1/bots?limit=3").json()["next"]).json()["previous"]
    assert _ids(api.get(back)) == expected[:3]


@pytest.mark.parametrize("query", ["limit=0", "limit=500", "limit=abc", "cursor=garbage"])
def test_bad_pagination_parameters_are_400(api, query):
    name = query.split("=")[0]
    assert name in _fields(api.get(f"/api/v1/bots?{query}"))


def test_filters(api, other_api):
    t0 = timezone.now()
    scheduled = _bot(api, status="scheduled", metadata={"deal": "42", "team": "a"})
    in_call = _bot(api, status="in_call", metadata={"deal": "42", "team": "b"})
    zoom = _bot(api, status="ended", platform="zoom", meeting_url=ZOOM, metadata={"deal": "7"})
    Bot.objects.filter(pk=zoom.pk).update(created_at=t0 - timedelta(days=2))
    theirs = BotFactory(meeting=MeetingFactory(organization=other_api.organization), metadata={"deal": "42"})

    assert set(_ids(api.get("/api/v1/bots"))) == {scheduled.id, in_call.id, zoom.id}
    assert _ids(api.get("/api/v1/bots?status=in_call")) == [in_call.id]
    assert set(_ids(api.get("/api/v1/bots?status=in_call,scheduled"))) == {scheduled.id, in_call.id}
    assert set(_ids(api.get("/api/v1/bots?status=in_call&status=ended"))) == {in_call.id, zoom.id}
    assert _ids(api.get("/api/v1/bots?platform=zoom")) == [zoom.id]
    assert _ids(api.get(f"/api/v1/bots?meeting_url={ZOOM.replace('?', '%3F').replace('=', '%3D')}")) == [zoom.id]
    assert set(_ids(api.get("/api/v1/bots?metadata.deal=42"))) == {scheduled.id, in_call.id}
    assert _ids(api.get("/api/v1/bots?metadata.deal=42&metadata.team=b")) == [in_call.id]
    assert _ids(api.get("/api/v1/bots?metadata.deal=nope")) == []
    day_ago = (t0 - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert set(_ids(api.get(f"/api/v1/bots?created_after={day_ago}"))) == {scheduled.id, in_call.id}
    assert _ids(api.get(f"/api/v1/bots?created_before={day_ago}")) == [zoom.id]
    # "+" in an unencoded offset arrives as a space and still parses.
    assert len(_ids(api.get("/api/v1/bots?created_after=2000-01-01T00:00:00+00:00"))) == 3
    assert theirs.id not in _ids(api.get("/api/v1/bots?metadata.deal=42"))


@pytest.mark.parametrize(
    "query,field",
    [
        ("status=sleeping", "status"),
        ("platform=skype", "platform"),
        ("created_after=yesterday", "created_after"),
        ("created_before=2024-13-45", "created_before"),
        ("metadata.bad%20key=1", "metadata.bad key"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(api, query, field):
    assert field in _fields(api.get(f"/api/v1/bots?{query}"))


# --- read, change, delete --------------------------------------------------------------------------


def test_detail_has_the_status_history(api):
    created = api.post("/api/v1/bots", {"meeting_url": MEET, "join_at": _later()}, format="json").json()
    api.patch(f"/api/v1/bots/{created['id']}", {"join_at": _later(seconds=5)}, format="json")
    body = api.get(f"/api/v1/bots/{created['id']}").json()
    assert body["status"] == "queued"
    assert [(e["event"], e["old_status"], e["new_status"]) for e in body["events"]] == [
        ("dispatch", "scheduled", "queued")
    ]


def test_patch_a_scheduled_bot(api):
    created = api.post("/api/v1/bots", {"meeting_url": MEET, "join_at": _later()}, format="json").json()
    new_time = _later(hours=5)
    response = api.patch(
        f"/api/v1/bots/{created['id']}",
        {
            "bot_name": "Renamed",
            "join_at": new_time,
            "meeting_url": ZOOM,
            "automatic_leave": {"max_duration": 600},
            "metadata": {"deal": "43"},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["bot_name"] == "Renamed" and body["status"] == "scheduled"
    assert body["platform"] == "zoom" and body["meeting_url"] == ZOOM
    assert body["settings"]["automatic_leave"]["max_duration"] == 600
    assert body["settings"]["automatic_leave"]["waiting_room_timeout"] == 600  # untouched
    assert body["metadata"] == {"deal": "43"}
    assert Meeting.objects.get(pk=created["meeting_id"]).platform == "zoom"


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"join_at": "2001-01-01T00:00:00Z"}, "join_at"),
        ({"join_at": None}, "join_at"),
        ({"meeting_url": "https://example.com/x"}, "meeting_url"),
        ({"project": "other"}, "project"),
        ({"deduplication_key": "x"}, "deduplication_key"),
        ({"status": "ended"}, "status"),
        ({"recording": {"mode": "gallery"}}, "recording"),
    ],
)
def test_patch_validation(api, payload, field):
    created = api.post("/api/v1/bots", {"meeting_url": MEET, "join_at": _later()}, format="json").json()
    assert field in _fields(api.patch(f"/api/v1/bots/{created['id']}", payload, format="json"))
    assert Bot.objects.get(pk=created["id"]).status == "scheduled"


def test_delete_a_scheduled_bot_removes_it_and_its_meeting(api):
    created = api.post("/api/v1/bots", {"meeting_url": MEET, "join_at": _later()}, format="json").json()
    response = api.delete(f"/api/v1/bots/{created['id']}")
    assert response.status_code == 204 and response.content == b""
    assert not Bot.objects.filter(pk=created["id"]).exists()
    assert not Meeting.objects.filter(pk=created["meeting_id"]).exists()
    assert api.get(f"/api/v1/bots/{created['id']}").status_code == 404


def test_patch_and_delete_refused_once_queued(api):
    created = api.post("/api/v1/bots", {"meeting_url": MEET}, format="json").json()
    assert api.patch(f"/api/v1/bots/{created['id']}", {"bot_name": "x"}, format="json").status_code == 409
    assert api.delete(f"/api/v1/bots/{created['id']}").status_code == 409
    assert Bot.objects.get(pk=created["id"]).bot_name == "Notula"


# --- leave ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("join_at", [None, "later"])
def test_leave_before_joining_ends_the_bot_left_by_request(api, join_at):
    payload = {"meeting_url": MEET}
    if join_at:
        payload["join_at"] = _later()
    created = api.post("/api/v1/bots", payload, format="json").json()
    response = api.post(f"/api/v1/bots/{created['id']}/leave")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "ended" and body["end_reason"] == "left_by_request"
    assert body["leave_requested_at"] and body["ended_at"]
    events = list(BotEvent.objects.filter(bot_id=created["id"]).values_list("event", "new_status"))
    assert events == [("leave_started", "leaving"), ("ended", "ended")]
    log = MeetingEvent.objects.filter(meeting_id=created["meeting_id"]).order_by("sequence")
    assert [e.payload["new_status"] for e in log] == ["leaving", "ended"]
    assert log.last().payload["end_reason"] == "left_by_request"
    # Asking again is a conflict: the bot is finished.
    assert api.post(f"/api/v1/bots/{created['id']}/leave").status_code == 409


def test_leave_during_the_call_is_a_request_the_runner_acts_on(api):
    bot = _bot(api, status="in_call")
    response = api.post(f"/api/v1/bots/{bot.id}/leave")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "in_call" and body["leave_requested_at"]
    bot.refresh_from_db()
    assert bot.leave_requested_at is not None and bot.status == "in_call"
    first = bot.leave_requested_at
    api.post(f"/api/v1/bots/{bot.id}/leave")
    bot.refresh_from_db()
    assert bot.leave_requested_at == first
