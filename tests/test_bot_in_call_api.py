"""The API of a bot's actions in the call (chat, camera, screenshots), the meeting's chat list, the
simulator's participant chat and the dashboard's controls: their answers without a browser."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bots.models import Bot, BotEvent, BotStatus
from bots.screenshots import bot_screenshots, screenshot_save
from meetings.chat import chat_message_record
from meetings.models import MeetingEvent
from simulator import services as sim
from simulator.models import SimMeeting
from tests.asr_http import serve_directory
from tests.factories import BotFactory, MeetingFactory, ParticipantFactory
from tests.images import still_image

PNG = b"\x89PNG\r\n\x1a\nnot really a picture"


@pytest.fixture
def in_call(api):
    meeting = MeetingFactory(organization=api.organization)
    return BotFactory(meeting=meeting, status=BotStatus.IN_CALL, heartbeat_at=timezone.now())


def _command(bot) -> dict:
    return BotEvent.objects.filter(bot=bot, event="command").latest("created_at").data


def test_chat_is_sent_to_a_bot_in_the_call_as_a_command(api, in_call):
    response = api.post(f"/api/v1/bots/{in_call.id}/chat", {"text": "Hello all"}, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["kind"] == "chat"
    assert _command(in_call) == {
        "command": "chat",
        "id": response.json()["command_id"],
        "payload": {"text": "Hello all", "to": None},
    }


@pytest.mark.parametrize("platform", ["zoom", "webex"])
def test_a_private_message_names_its_recipient_by_id_or_name(api, platform):
    meeting = MeetingFactory(organization=api.organization, platform=platform)
    bot = BotFactory(meeting=meeting, status=BotStatus.IN_CALL, heartbeat_at=timezone.now())
    alice = ParticipantFactory(meeting=meeting, name="Alice Smith")
    ParticipantFactory(meeting=meeting, name="Gone Guest", left_at=timezone.now())
    for to in (alice.id, "Alice Smith"):
        response = api.post(f"/api/v1/bots/{bot.id}/chat", {"text": "Psst", "to": to}, format="json")
        assert response.status_code == 202, response.content
        assert _command(bot)["payload"] == {"text": "Psst", "to": "Alice Smith"}
    for to in ("Nobody", "Gone Guest", "prt_unknown"):
        response = api.post(f"/api/v1/bots/{bot.id}/chat", {"text": "Psst", "to": to}, format="json")
        assert response.status_code == 400 and "to" in response.json()["error"]["fields"], to


@pytest.mark.parametrize(("platform", "label"), [("google_meet", "Google Meet"), ("teams", "Teams")])
def test_private_chat_is_refused_where_the_platform_has_none(api, platform, label):
    meeting = MeetingFactory(organization=api.organization, platform=platform)
    # Refused for the platform before anything else: even a bot still in the lobby answers 400.
    bot = BotFactory(meeting=meeting, status=BotStatus.WAITING_ROOM)
    alice = ParticipantFactory(meeting=meeting, name="Alice Smith")
    response = api.post(f"/api/v1/bots/{bot.id}/chat", {"text": "Psst", "to": alice.id}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "private_chat_unsupported" and "to" in error["fields"]
    assert error["platform"] == platform and label in error["message"]
    assert not BotEvent.objects.filter(bot=bot, event="command").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"text": ""}, "text"), ({}, "text"), ({"text": "x" * 501}, "text"), ({"text": "hi", "to": "Bob"}, "to")],
)
def test_a_bad_chat_message_is_a_400_naming_the_field(api, in_call, body, field):
    response = api.post(f"/api/v1/bots/{in_call.id}/chat", body, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"]


@pytest.mark.parametrize("path", ["chat", "screenshot", "camera"])
def test_a_bot_not_in_the_call_refuses_with_its_status(api, path):
    bot = BotFactory(meeting=MeetingFactory(organization=api.organization), status=BotStatus.WAITING_ROOM)
    body = {"text": "hi"} if path == "chat" else {"image_url": None} if path == "camera" else None
    response = api.post(f"/api/v1/bots/{bot.id}/{path}", body, format="json")
    assert response.status_code == 409
    assert (
        response.json()["error"]["code"] == "bot_not_in_call"
        and "'waiting_room'" in response.json()["error"]["message"]
    )
    assert not BotEvent.objects.filter(bot=bot, event="command").exists()


def test_another_organizations_bot_is_404(other_api, in_call):
    assert other_api.get(f"/api/v1/bots/{in_call.id}/screenshots").status_code == 404
    for path in ("chat", "screenshot", "camera"):
        assert other_api.post(f"/api/v1/bots/{in_call.id}/{path}", {"text": "x"}, format="json").status_code == 404


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    still_image(folder / "face.png")
    (folder / "notes.txt").write_text("not a picture")
    server = serve_directory(folder)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_camera_takes_a_picture_by_url_or_upload_or_null(api, in_call, served, media, tmp_path):
    by_url = api.post(f"/api/v1/bots/{in_call.id}/camera", {"image_url": f"{served}/face.png"}, format="json")
    assert by_url.status_code == 202, by_url.content
    clip = _command(in_call)["payload"]["clip"]
    assert (media / clip).read_bytes().startswith(b"YUV4MPEG2 W640 H360")
    picture = still_image(tmp_path / "face.png").read_bytes()
    upload = SimpleUploadedFile("face.png", picture, content_type="image/png")
    assert api.post(f"/api/v1/bots/{in_call.id}/camera", {"image": upload}, format="multipart").status_code == 202
    assert (media / _command(in_call)["payload"]["clip"]).exists()
    assert api.post(f"/api/v1/bots/{in_call.id}/camera", {"image_url": None}, format="json").status_code == 202
    assert _command(in_call)["payload"] == {"clip": None}


@pytest.mark.parametrize(
    ("body", "multipart", "field"),
    [
        ({"image_url": "notes.txt"}, False, "image_url"),
        ({"image": SimpleUploadedFile("x.png", b"no picture here", content_type="image/png")}, True, "image"),
        ({}, False, "image_url"),
        ({"image_url": "ftp://example.com/x.png"}, False, "image_url"),
    ],
)
def test_what_is_no_picture_is_a_400_naming_the_field(api, in_call, served, media, body, multipart, field):
    if body.get("image_url") == "notes.txt":
        body = {"image_url": f"{served}/notes.txt"}
    response = api.post(f"/api/v1/bots/{in_call.id}/camera", body, format="multipart" if multipart else "json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not BotEvent.objects.filter(bot=in_call, event="command").exists()


def test_screenshots_are_listed_with_links_only_their_owner_opens(api, other_api, anon, in_call, media):
    assert api.post(f"/api/v1/bots/{in_call.id}/screenshot").status_code == 202
    assert _command(in_call)["command"] == "screenshot"
    screenshot_save(bot=in_call, png=PNG, trigger="on_demand")
    screenshot_save(bot=in_call, png=PNG, trigger="periodic")
    (media / "bots" / in_call.id / "screenshots" / "stray.txt").write_text("not listed")
    listed = api.get(f"/api/v1/bots/{in_call.id}/screenshots").json()
    assert [s["trigger"] for s in listed["screenshots"]] == ["on_demand", "periodic"]
    assert [s["size"] for s in listed["screenshots"]] == [len(PNG)] * 2
    link = listed["screenshots"][0]["url"].replace("http://testserver", "")
    opened = anon.get(link)
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == PNG
    bare = link.split("?")[0]
    assert anon.get(bare).status_code == 401
    assert other_api.get(bare).status_code == 404
    other_path = bare.replace("on_demand", "periodic")
    assert anon.get(f"{other_path}?{link.split('?')[1]}").status_code == 403


def test_screenshot_interval_is_a_bot_setting(api):
    url = "https://meet.google.com/abc-defg-hij"
    refused = api.post("/api/v1/bots", {"meeting_url": url, "screenshots": {"interval_s": 3}}, format="json")
    assert refused.status_code == 400 and "interval_s" in refused.json()["error"]["fields"]["screenshots"]
    created = api.post("/api/v1/bots", {"meeting_url": url, "screenshots": {"interval_s": 30}}, format="json")
    assert created.status_code == 201, created.content
    assert Bot.objects.get(pk=created.json()["id"]).settings["screenshots"] == {"interval_s": 30}


def test_the_meeting_chat_lists_every_message_with_its_sender(api, other_api):
    meeting = MeetingFactory(organization=api.organization)
    alice = ParticipantFactory(meeting=meeting, name="Alice Smith")
    now = timezone.now()
    chat_message_record(meeting=meeting, sender="Alice Smith", text="Hi", sent_at=now, offset_ms=1000)
    chat_message_record(
        meeting=meeting,
        sender="Notula",
        text="Hello",
        sent_at=now + timedelta(seconds=1),
        offset_ms=2000,
        from_bot=True,
        bot_id="bot_x",
    )
    chat_message_record(
        meeting=meeting, sender="Zed", text="Who am I?", sent_at=now + timedelta(seconds=2), offset_ms=3
    )
    at = now + timedelta(seconds=3)
    chat_message_record(
        meeting=meeting, sender="Notula", text="Psst", sent_at=at, offset_ms=4, from_bot=True, to="Alice Smith"
    )
    at = now + timedelta(seconds=4)
    chat_message_record(
        meeting=meeting, sender="Alice Smith", text="Ok", sent_at=at, offset_ms=5, to="Notula", to_bot=True
    )
    listed = api.get(f"/api/v1/meetings/{meeting.id}/chat").json()["messages"]
    fields = ("sender", "text", "from_bot", "participant_id", "to", "to_participant_id")
    assert [tuple(m[f] for f in fields) for m in listed] == [
        ("Alice Smith", "Hi", False, alice.id, None, None),
        ("Notula", "Hello", True, None, None, None),
        ("Zed", "Who am I?", False, None, None, None),
        ("Notula", "Psst", True, None, "Alice Smith", alice.id),
        ("Alice Smith", "Ok", False, alice.id, "Notula", None),
    ]
    events = MeetingEvent.objects.filter(meeting=meeting, type="chat.message").order_by("sequence")
    assert [e.payload["message_id"] for e in events] == [m["id"] for m in listed]
    assert other_api.get(f"/api/v1/meetings/{meeting.id}/chat").status_code == 404


def test_a_simulated_participant_writes_in_the_chat(api):
    created = api.post("/simulator/api/meetings", {"platform": "zoom", "scenario": {}}, format="json").json()
    people = api.post(f"/simulator/api/meetings/{created['id']}/participants", {"name": "Carol"}, format="json")
    assert people.status_code == 201
    written = api.post(
        f"/simulator/api/meetings/{created['id']}/chat", {"participant": "Carol", "text": "Hi"}, format="json"
    )
    assert written.status_code == 201 and written.json()["sender"] == "Carol"
    assert written.json()["participant_id"] == people.json()["id"]
    nobody = api.post(
        f"/simulator/api/meetings/{created['id']}/chat", {"participant": "Dave", "text": "Hi"}, format="json"
    )
    assert nobody.status_code == 409 and "participant" in nobody.json()["error"]["fields"]
    assert api.get(f"/simulator/api/meetings/{created['id']}").json()["chat"][-1]["text"] == "Hi"
    for name in ("Erin", "Frank"):
        api.post(f"/simulator/api/meetings/{created['id']}/participants", {"name": name}, format="json")
    private = api.post(
        f"/simulator/api/meetings/{created['id']}/chat",
        {"participant": "Carol", "text": "Just you", "to": "Erin"},
        format="json",
    )
    assert private.status_code == 201 and private.json()["to_name"] == "Erin"
    seen_by = api.get(f"/simulator/api/meetings/{created['id']}").json()["chat_seen_by"]
    assert seen_by == {"Carol": ["Hi", "Just you"], "Erin": ["Hi", "Just you"], "Frank": ["Hi"]}
    meet = api.post("/simulator/api/meetings", {"platform": "google_meet", "scenario": {}}, format="json").json()
    for name in ("Carol", "Erin"):
        api.post(f"/simulator/api/meetings/{meet['id']}/participants", {"name": name}, format="json")
    refused = api.post(
        f"/simulator/api/meetings/{meet['id']}/chat",
        {"participant": "Carol", "text": "Hi", "to": "Erin"},
        format="json",
    )
    assert refused.status_code == 400 and "to" in refused.json()["error"]["fields"]
    sim.sim_meeting_end(meeting=SimMeeting.objects.get(pk=created["id"]))
    ended = api.post(
        f"/simulator/api/meetings/{created['id']}/chat", {"participant": "Carol", "text": "Hi"}, format="json"
    )
    assert ended.status_code == 409


def test_bot_screenshots_survive_a_missing_directory(db):
    assert bot_screenshots(bot=BotFactory()) == []
