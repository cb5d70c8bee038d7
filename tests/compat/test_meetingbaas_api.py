"""The Meeting BaaS v1 dialect as `@meeting-baas/sdk` speaks it: paths, the `x-meeting-baas-api-key`
header, bodies, errors, ids, filters, the cursor and the delete_data rate limit."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from bots.models import Bot, BotStatus, RecordingState
from bots.screenshots import screenshot_save
from compat.meetingbaas.ids import bot_id_from, uuid_for
from meetings.models import Meeting
from tests.conftest import make_client
from tests.factories import BotFactory, ParticipantFactory, SegmentFactory
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db
BASE = "/compat/meetingbaas"
MEET = "https://meet.google.com/abc-defg-hij"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def baas_client(name: str):
    client = make_client(name)
    client.credentials(HTTP_X_MEETING_BAAS_API_KEY=client.issued.key)  # the SDK's only header
    return client


@pytest.fixture
def mb(db):
    return baas_client("Meeting BaaS users")


def join(client, **body):
    return client.post(f"{BASE}/bots/", {"bot_name": "Recorder", "meeting_url": MEET, **body}, format="json")


def bot_of(answer) -> Bot:
    return Bot.objects.get(pk=bot_id_from(answer.json()["bot_id"]))


def ended(client, **body) -> Bot:
    bot = bot_of(join(client, **body))
    now = timezone.now()
    Bot.objects.filter(pk=bot.pk).update(
        status=BotStatus.ENDED, joined_at=now - timedelta(minutes=5), ended_at=now, end_reason="left_by_request"
    )
    Meeting.objects.filter(pk=bot.meeting_id).update(status=Meeting.Status.COMPLETED)
    bot.refresh_from_db()
    return bot


def test_ids_are_uuids_that_map_back_to_the_bot(db):
    value = str(uuid.uuid4())
    assert uuid_for(bot_id_from(value)) == value
    assert bot_id_from(value).startswith("bot_") and len(bot_id_from(value)) == 26
    assert uuid_for("bot_zzzzzzzzzzzzzzzzzzzzzz") is None  # an id from before ids carried a UUID
    assert uuid_for(BotFactory().id), "every new bot's id stands for a UUID"


def test_join_maps_every_joinrequest_field_onto_the_bot(mb):
    answer = join(
        mb,
        automatic_leave={"noone_joined_timeout": 120, "silence_timeout": 300, "waiting_room_timeout": 150},
        bot_image="https://example.com/logo.png",
        deduplication_key="weekly-sync",
        entry_message="Recording starts now",
        extra={"customer_id": "12345"},
        recording_mode="audio_only",
        reserved=False,
        speech_to_text={"provider": "Default"},
        start_time=int((timezone.now() + timedelta(hours=2)).timestamp()),
        streaming={
            "input": "wss://audio.example.com/in", "output": "wss://audio.example.com/out", "audio_frequency": "24khz"
        },
        transcription_custom_parameters={"language": "en"},
        webhook_url="https://app.example.com/hooks",
    )  # fmt: skip
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json", answer.content
    assert uuid.UUID(answer.json()["bot_id"])
    bot = bot_of(answer)
    assert (bot.dialect, bot.bot_name, bot.entry_message, bot.bot_image_url, bot.deduplication_key) == (
        "meetingbaas", "Recorder", "Recording starts now", "https://example.com/logo.png", "weekly-sync",
    )  # fmt: skip
    assert bot.metadata == {"customer_id": "12345"} and bot.status == BotStatus.SCHEDULED and bot.join_at
    leave = bot.settings["automatic_leave"]
    assert (leave["noone_joined_timeout"], leave["silence_timeout"], leave["waiting_room_timeout"]) == (120, 300, 150)
    assert bot.settings["recording"]["mode"] == "audio_only"
    assert bot.settings["transcription"]["language"] == "en"
    streaming = bot.settings["streaming"]
    assert (streaming["audio_url"], streaming["input"], streaming["input_sample_rate"]) == (
        "wss://audio.example.com/in", "wss://audio.example.com/out", 24000,
    )  # fmt: skip
    endpoint = WebhookEndpoint.objects.get(meeting=bot.meeting)
    # The vendor's webhooks carry the API key itself: the endpoint is keyed by it.
    assert (endpoint.url, endpoint.format, endpoint.secret) == (
        "https://app.example.com/hooks", "meetingbaas", mb.issued.key,
    )  # fmt: skip


def test_join_defaults_to_speaker_view_and_takes_a_zoom_obf_token(mb):
    assert bot_of(join(mb)).settings["recording"]["mode"] == "speaker_view"
    zoom = bot_of(join(mb, meeting_url="https://zoom.us/j/123456789", zoom_obf_token="obf-token"))
    assert zoom.zoom_token_encrypted and "obf-token" not in zoom.zoom_token_encrypted


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"meeting_url": "https://example.com/x"}, "meeting_url"),
        ({"bot_name": None}, "bot_name"),
        ({"webhook_url": "not a url"}, "webhook_url"),
        ({"recording_mode": "gallery_view"}, "recording_mode"),
        ({"recording_mode": "cinema"}, "recording_mode"),
        ({"speech_to_text": {"provider": "Gladia", "api_key": "k"}}, "speech_to_text"),
        ({"automatic_leave": {"silence_timeout": -1}}, "silence_timeout"),
        ({"start_time": -5}, "start_time"),
        ({"streaming": {"audio_frequency": "48khz"}}, "audio_frequency"),
        ({"reserved": True}, "reserved"),
        ({"zoom_sdk_id": "abc"}, "zoom_sdk_id"),
        ({"zoom_obf_token_url": "https://tokens.example.com"}, "zoom_obf_token_url"),
        ({"zoom_obf_token_user_id": "nobody"}, "zoom_obf_token_user_id"),
        ({"unknown_option": 1}, "unknown_option"),
        ({"transcription_custom_parameters": {"language": "xx"}}, "transcription_custom_parameters"),
        ({"transcription_custom_parameters": {"prompt": "x"}}, "prompt"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(mb, body, field):
    answer = join(mb, **body)
    assert answer.status_code == 400, answer.content
    error = answer.json()
    assert field in error["error"] or field in str(error.get("fields")), error


def test_auth_others_data_and_unknown_paths(mb):
    bot_uuid = join(mb).json()["bot_id"]
    stranger = baas_client("Elsewhere")
    assert stranger.delete(f"{BASE}/bots/{bot_uuid}").status_code == 404
    assert stranger.get(f"{BASE}/bots/meeting_data", {"bot_id": bot_uuid}).status_code == 404
    assert stranger.get(f"{BASE}/bots/bots_with_metadata").json()["bots"] == []
    stranger.credentials(HTTP_X_MEETING_BAAS_API_KEY="ntl_wrong")
    wrong = stranger.get(f"{BASE}/bots/bots_with_metadata")
    assert wrong.status_code == 401 and wrong.json()["error"] == "Invalid API key"
    stranger.credentials()
    assert stranger.post(f"{BASE}/bots/", {}, format="json").status_code == 401
    assert mb.get(f"{BASE}/bots/meeting_data", {"bot_id": "not-a-uuid"}).status_code == 404
    for path in (f"{BASE}/bots", f"{BASE}/nothing", f"{BASE}/bots/{bot_uuid}/"):
        answer = mb.post(path, {}, format="json")
        assert answer.status_code == 404 and "error" in answer.json()


def test_leave_asks_a_running_bot_and_answers_ok_again(mb):
    bot = bot_of(join(mb))
    Bot.objects.filter(pk=bot.pk).update(status=BotStatus.IN_CALL, recording_state=RecordingState.RECORDING)
    assert mb.delete(f"{BASE}/bots/{uuid_for(bot.id)}").json() == {"ok": True}
    bot.refresh_from_db()
    assert bot.leave_requested_at is not None
    assert mb.delete(f"{BASE}/bots/{uuid_for(bot.id)}").json() == {"ok": True}


def test_meeting_data_has_the_bot_and_its_transcript(mb):
    bot = ended(mb, extra={"deal": "42"})
    words = [{"word": "Hello", "start_ms": 1000, "end_ms": 1400}, {"word": "there", "start_ms": 1500, "end_ms": 2000}]
    SegmentFactory(meeting=bot.meeting, speaker="Alice", text="Hello there", start_ms=1000, end_ms=2000, words=words)
    data = mb.get(f"{BASE}/bots/meeting_data", {"bot_id": uuid_for(bot.id), "include_transcripts": "true"}).json()
    row = data["bot_data"]["bot"]
    assert row["uuid"] == uuid_for(bot.id) and row["extra"] == {"deal": "42"} and row["ended_at"].endswith("Z")
    assert isinstance(row["id"], int) and isinstance(row["account_id"], int) and row["bot_joined_at"].endswith("Z")
    assert (data["audio"], data["mp4"], data["duration"]) == ("", "", 300)
    [transcript] = data["bot_data"]["transcripts"]
    assert (transcript["speaker"], transcript["start_time"]) == ("Alice", 1.0)
    assert [(w["text"], w["start_time"], w["end_time"]) for w in transcript["words"]] == [
        ("Hello", 1.0, 1.4), ("there", 1.5, 2.0),
    ]  # fmt: skip
    without = mb.get(f"{BASE}/bots/meeting_data", {"bot_id": uuid_for(bot.id), "include_transcripts": "false"})
    assert without.json()["bot_data"]["transcripts"] == []


def test_list_filters_and_cursor(mb):
    first = ended(mb, bot_name="Sales sync", extra={"team": "sales", "rank": "2"})
    ParticipantFactory(meeting=first.meeting, name="Alice Smith")
    second = bot_of(join(mb, bot_name="Support", meeting_url="https://meet.google.com/xyz-abcd-efg",
                         extra={"team": "support", "rank": "1"}))  # fmt: skip
    listing = mb.get(f"{BASE}/bots/bots_with_metadata").json()
    assert [b["uuid"] for b in listing["bots"]] == [uuid_for(second.id), uuid_for(first.id)]
    assert listing["next_cursor"] is None and listing["last_updated"].endswith("Z")

    def uuids(**query):
        return [b["uuid"] for b in mb.get(f"{BASE}/bots/bots_with_metadata", query).json()["bots"]]

    assert uuids(bot_name="sales") == [uuid_for(first.id)]
    assert uuids(meeting_url="xyz-abcd") == [uuid_for(second.id)]
    assert uuids(speaker_name="alice") == [uuid_for(first.id)]
    assert uuids(filter_by_extra="team:support") == [uuid_for(second.id)]
    assert uuids(filter_by_extra="team:sales,rank:2") == [uuid_for(first.id)]
    assert uuids(ended_after=(timezone.now() - timedelta(hours=1)).isoformat()) == [uuid_for(first.id)]
    assert uuids(created_after=(timezone.now() + timedelta(hours=1)).isoformat()) == []
    assert uuids(created_before=(timezone.now() + timedelta(hours=1)).isoformat()) == uuids()
    assert uuids(sort_by_extra="rank") == [uuid_for(second.id), uuid_for(first.id)]
    assert uuids(sort_by_extra="rank:desc") == [uuid_for(first.id), uuid_for(second.id)]
    speakers = mb.get(f"{BASE}/bots/bots_with_metadata", {"bot_name": "sales"}).json()["bots"][0]
    assert speakers["speakers"] == ["Alice Smith"] and speakers["ended_at"].endswith("Z")

    page = mb.get(f"{BASE}/bots/bots_with_metadata", {"limit": 1}).json()
    assert [b["uuid"] for b in page["bots"]] == [uuid_for(second.id)] and page["next_cursor"]
    rest = mb.get(f"{BASE}/bots/bots_with_metadata", {"limit": 1, "cursor": page["next_cursor"]}).json()
    assert [b["uuid"] for b in rest["bots"]] == [uuid_for(first.id)] and rest["next_cursor"] is None
    other = mb.get(f"{BASE}/bots/bots_with_metadata", {"cursor": page["next_cursor"], "bot_name": "x"})
    assert other.status_code == 400 and "cursor" in other.json()["error"]
    for bad in ({"cursor": "garbage"}, {"filter_by_extra": "no-colon"}, {"limit": 0}, {"sort_by_extra": "a:up"},
                {"created_after": "yesterday"}, {"colour": "red"}):  # fmt: skip
        answer = mb.get(f"{BASE}/bots/bots_with_metadata", bad)
        assert answer.status_code == 400 and next(iter(bad)) in answer.json()["error"], (bad, answer.json())


def test_delete_data_answers_the_vendor_statuses_and_is_limited_to_5_a_minute(mb, media):
    bot = ended(mb)
    SegmentFactory(meeting=bot.meeting, speaker="Alice", text="Hello")
    path = f"{BASE}/bots/{uuid_for(bot.id)}/delete_data"
    assert mb.post(path).json() == {"ok": True, "status": "deleted"}
    assert not bot.meeting.segments.exists()
    assert mb.post(path).json() == {"ok": True, "status": "alreadyDeleted"}
    running = bot_of(join(mb, meeting_url="https://meet.google.com/xyz-abcd-efg"))
    Bot.objects.filter(pk=running.pk).update(status=BotStatus.IN_CALL)
    busy = mb.post(f"{BASE}/bots/{uuid_for(running.id)}/delete_data")
    assert busy.status_code == 409 and busy.json()["code"] == "bot_active"
    assert [mb.post(path).status_code for _ in range(3)] == [200, 200, 429]
    assert "error" in mb.post(path).json()


def test_screenshots_and_retranscribe(mb, media):
    bot = ended(mb)
    screenshot_save(bot=bot, png=PNG, trigger="periodic")
    shots = mb.get(f"{BASE}/bots/{uuid_for(bot.id)}/screenshots").json()
    assert len(shots) == 1 and shots[0]["date"].endswith("Z") and "token=" in shots[0]["url"]
    no_recording = mb.post(f"{BASE}/bots/retranscribe", {"bot_uuid": uuid_for(bot.id)}, format="json")
    assert no_recording.status_code == 409 and no_recording.json()["code"] == "no_recording"
    refused = mb.post(
        f"{BASE}/bots/retranscribe", {"bot_uuid": uuid_for(bot.id), "speech_to_text": "Runpod"}, format="json"
    )
    assert refused.status_code == 400 and "speech_to_text" in refused.json()["error"]


def test_retranscribe_queues_a_new_transcription_of_the_recording(mb, media):
    from meetings.models import Recording

    bot = ended(mb)
    Recording.objects.create(meeting=bot.meeting, kind="audio", format="flac", file="recordings/x.flac")
    answer = mb.post(
        f"{BASE}/bots/retranscribe", {"bot_uuid": uuid_for(bot.id), "speech_to_text": "Default"}, format="json"
    )
    assert answer.status_code == 202
    assert Meeting.objects.get(pk=bot.meeting_id).status == Meeting.Status.PROCESSING
    unknown = mb.post(f"{BASE}/bots/retranscribe", {"bot_uuid": str(uuid.uuid4())}, format="json")
    assert unknown.status_code == 404
