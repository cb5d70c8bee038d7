"""The MeetStream dialect (seed 003) as its clients speak it: paths, auth, bodies, errors, and what
each call does to the bot behind it."""

import pytest
from django.utils import timezone

from bots.models import Bot, BotStatus, RecordingState
from bots.screenshots import screenshot_save
from meetings.chat import chat_message_record
from meetings.models import Meeting
from tests.conftest import make_client
from tests.factories import ParticipantFactory, SegmentFactory
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db
BASE = "/compat/meetstream/api/v1"
MEET = "https://meet.google.com/abc-defg-hij"


@pytest.fixture
def ms(db):
    return make_client("MeetStream users")  # sends `Authorization: Token <key>`, as MeetStream's clients do


def create(client, **body):
    return client.post(f"{BASE}/bots/create_bot", {"meeting_link": MEET, **body}, format="json")


def in_call(client, **body) -> Bot:
    bot = Bot.objects.get(pk=create(client, **body).json()["bot_id"])
    Bot.objects.filter(pk=bot.pk).update(
        status=BotStatus.IN_CALL, recording_state=RecordingState.RECORDING, joined_at=timezone.now()
    )
    bot.refresh_from_db()
    return bot


def test_create_bot_maps_every_option_onto_the_bot(ms, media):
    answer = create(
        ms,
        bot_name="Recorder",
        audio_required=True,
        video_required=True,
        bot_message="Recording starts now",
        bot_image_url="https://example.com/logo.png",
        callback_url="https://app.example.com/hooks",
        custom_attributes={"deal": "42"},
        live_audio_required={"websocket_url": "wss://audio.example.com/in"},
        live_transcription_required={"webhook_url": "https://app.example.com/live"},
        recording_config={
            "transcript": {"provider": {"deepgram": {"model": "nova-3"}}},
            "retention": {"type": "timed", "hours": 24},
        },
        automatic_leave={
            "waiting_room_timeout": 120,
            "everyone_left_timeout": 30,
            "in_call_recording_timeout": 3600,
            "recording_permission_denied_timeout": 60,
        },
    )
    assert answer.status_code == 201 and answer["Content-Type"] == "application/json"
    body = answer.json()
    bot = Bot.objects.get(pk=body["bot_id"])
    assert body["transcript_id"] == bot.meeting_id and body["status"] == "Joining"
    assert body["custom_attributes"] == {"deal": "42"}
    assert (bot.dialect, bot.bot_name, bot.entry_message, bot.bot_image_url) == (
        "meetstream",
        "Recorder",
        "Recording starts now",
        "https://example.com/logo.png",
    )
    assert bot.metadata == {"deal": "42"}
    assert bot.settings["recording"]["mode"] == "speaker_view"
    assert bot.settings["streaming"]["audio_url"] == "wss://audio.example.com/in"
    leave = bot.settings["automatic_leave"]
    assert (leave["waiting_room_timeout"], leave["everyone_left_timeout"], leave["max_duration"]) == (120, 30, 3600)
    assert leave["recording_permission_denied_timeout"] == 60
    assert bot.settings["retention"] == {"type": "timed", "hours": 24}
    live = WebhookEndpoint.objects.get(meeting=bot.meeting, format="meetstream_live")
    assert (live.url, live.secret) == ("https://app.example.com/live", ms.issued.signing_secret)
    endpoint = WebhookEndpoint.objects.get(meeting=bot.meeting, format="meetstream")
    assert (endpoint.url, endpoint.format, endpoint.secret) == (
        "https://app.example.com/hooks",
        "meetstream",
        ms.issued.signing_secret,
    )


def test_meeting_captions_provider_takes_the_platforms_captions(ms):
    body = create(ms, recording_config={"transcript": {"provider": {"meeting_captions": {}}}}).json()
    assert Bot.objects.get(pk=body["bot_id"]).settings["transcription"]["backend"] == "captions"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"meeting_link": "https://example.com/x"}, "meeting_link"),
        ({"callback_url": "not a url"}, "callback_url"),
        ({"audio_required": "maybe"}, "audio_required"),
        ({"recording_config": {"transcript": {"provider": {"whisperx": {}}}}}, "provider"),
        ({"automatic_leave": {"everyone_left_timeout": -1}}, "everyone_left_timeout"),
        ({"agent_config_id": "abc"}, "agent_config_id"),
        ({"live_transcription_required": {}}, "webhook_url"),
        ({"live_transcription_required": {"websocket_url": "https://x.example.com"}}, "websocket_url"),
        ({"recording_config": {"realtime_endpoints": [{"type": "webhook", "url": "https://x.example.com"}]}}, "events"),
        (
            {
                "recording_config": {
                    "realtime_endpoints": [{"type": "sse", "url": "https://x.example.com", "events": []}]
                }
            },
            "type",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_field(ms, body, field):
    answer = create(ms, **body)
    assert answer.status_code == 400
    assert field in answer.json()["detail"] or field in str(answer.json().get("fields"))


def test_auth_other_orgs_and_unknown_paths(ms):
    bot_id = create(ms).json()["bot_id"]
    anon = make_client("Elsewhere")
    assert anon.get(f"{BASE}/bots/{bot_id}/status").status_code == 404
    anon.credentials(HTTP_AUTHORIZATION="Token ntl_wrong")
    assert anon.get(f"{BASE}/bots/{bot_id}/status").status_code == 401
    for path in (f"{BASE}/bots/create_bot/", f"{BASE}/nothing", f"{BASE}/bots/{bot_id}/status/"):
        answer = ms.post(path, {}, format="json")
        assert answer.status_code == 404 and "detail" in answer.json()


def test_status_detail_list_and_remove(ms, media):
    bot = in_call(ms, custom_attributes={"k": "v"})
    assert ms.get(f"{BASE}/bots/{bot.id}/status").json()["status"] == "InMeeting"
    details = ms.get(f"{BASE}/bots/{bot.id}/detail").json()["bot_details"]
    assert (details["BotID"], details["MeetingLink"], details["Status"]) == (bot.id, MEET, "InMeeting")
    assert details["custom_attributes"] == {"k": "v"} and details["caption_file"] == {"available": False}
    assert bot.id in [row["bot_id"] for row in ms.get(f"{BASE}/bots").json()]
    removed = ms.get(f"{BASE}/bots/{bot.id}/remove_bot")
    assert removed.status_code == 200
    bot.refresh_from_db()
    assert bot.leave_requested_at is not None  # the leave command went to the running bot
    queued = Bot.objects.get(pk=create(ms, meeting_link="https://meet.google.com/xyz-abcd-efg").json()["bot_id"])
    assert ms.get(f"{BASE}/bots/{queued.id}/remove_bot").json()["status"] == "Stopped"
    assert ms.get(f"{BASE}/bots/{queued.id}/remove_bot").status_code == 200  # again: answered as it is


def test_participants_and_chats(ms):
    bot = in_call(ms)
    ParticipantFactory(meeting=bot.meeting, name="Alice", joined_at=timezone.now())
    ParticipantFactory(meeting=bot.meeting, name="Bob", joined_at=timezone.now(), left_at=timezone.now())
    people = ms.get(f"{BASE}/bots/{bot.id}/get_participants").json()
    assert [(p["fullName"], p["displayName"], p["status"]) for p in people] == [
        ("Alice", "Alice", 1),
        ("Bob", "Bob", 2),
    ]
    chat_message_record(meeting=bot.meeting, sender="Alice", text="Hi all", sent_at=timezone.now(), offset_ms=0)
    chats = ms.get(f"{BASE}/bots/{bot.id}/get_chats").json()
    assert [(c["sender"], c["message"]) for c in chats] == [("Alice", "Hi all")]


def test_send_message_image_pause_and_resume_go_to_the_bot(ms):
    bot = in_call(ms)
    sent = ms.post(f"{BASE}/bots/{bot.id}/send_message", {"message": "Hello"}, format="json")
    assert sent.status_code == 200 and sent.json()["command_id"]
    empty = ms.post(f"{BASE}/bots/{bot.id}/send_message", {}, format="json")
    assert empty.status_code == 400 and "message" in empty.json()["detail"]
    paused = ms.post(f"{BASE}/bots/{bot.id}/pause_recording", {}, format="json")
    assert paused.status_code == 200 and paused.json()["command_id"]
    Bot.objects.filter(pk=bot.pk).update(recording_state=RecordingState.PAUSED)
    assert ms.post(f"{BASE}/bots/{bot.id}/pause_recording", {}, format="json").status_code == 409
    assert ms.post(f"{BASE}/bots/{bot.id}/resume_recording", {}, format="json").status_code == 200
    Bot.objects.filter(pk=bot.pk).update(status=BotStatus.ENDED)
    assert ms.post(f"{BASE}/bots/{bot.id}/send_message", {"message": "x"}, format="json").status_code == 409


def test_transcript_is_202_until_ready_then_segments(ms):
    bot = in_call(ms)
    tid = bot.meeting_id
    waiting = ms.get(f"{BASE}/transcript/{tid}/get_transcript?raw=false")
    assert waiting.status_code == 202 and waiting.json()["status"] == "processing"
    SegmentFactory(meeting=bot.meeting, speaker="Alice", text="The roadmap.")
    SegmentFactory(meeting=bot.meeting, speaker="Bob", text="Q2 is full.")
    Meeting.objects.filter(pk=tid).update(status=Meeting.Status.COMPLETED)
    ready = ms.get(f"{BASE}/transcript/{tid}/get_transcript?raw=True")
    assert ready.status_code == 200
    assert [(s["speaker"], s["transcript"]) for s in ready.json()["segments"]] == [
        ("Alice", "The roadmap."),
        ("Bob", "Q2 is full."),
    ]
    assert ms.get(f"{BASE}/transcript/{tid}/get_transcript?raw=maybe").status_code == 400
    assert ms.get(f"{BASE}/transcript/mtg_nothing/get_transcript").status_code == 404


def test_screenshots_audio_and_timeline(ms, media):
    bot = in_call(ms)
    assert ms.get(f"{BASE}/bots/{bot.id}/get_audio").status_code == 404
    screenshot_save(bot=bot, png=b"\x89PNG\r\n\x1a\nfake", trigger="on_demand")
    shots = ms.get(f"{BASE}/bots/{bot.id}/get_screenshots").json()["screenshots"]
    assert len(shots) == 1 and "/media/" in shots[0]["url"]
    timeline = ms.get(f"{BASE}/bots/{bot.id}/get_speaker_timeline").json()
    assert timeline == {"bot_id": bot.id, "timeline": []}


def test_idempotency_key_replays_the_create(ms):
    first = ms.post(f"{BASE}/bots/create_bot", {"meeting_link": MEET}, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    again = ms.post(f"{BASE}/bots/create_bot", {"meeting_link": MEET}, format="json", HTTP_IDEMPOTENCY_KEY="abc-123")
    assert first.status_code == again.status_code == 201
    assert first.json()["bot_id"] == again.json()["bot_id"]
    assert Bot.objects.filter(dialect="meetstream").count() == 1
