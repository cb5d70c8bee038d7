"""MeetStream's further reads and calls on a bot: `detail`'s StatusTimeline and RequestPayload, the
recording's streams, the transcript's revisions, a new transcription of the stored audio, and how
`recording_config.transcript.provider` chooses Notula's transcription."""

import pytest
from django.utils import timezone

from accounts.transcription_keys import transcription_key_set
from bots.models import Bot
from bots.states import bot_apply_event
from meetings.models import Meeting, Recording
from tests.conftest import make_client
from tests.factories import SegmentFactory

pytestmark = pytest.mark.django_db
BASE = "/compat/meetstream/api/v1"
MEET = "https://meet.google.com/abc-defg-hij"


@pytest.fixture
def ms(db):
    return make_client("MeetStream users")


def create(client, **body) -> Bot:
    answer = client.post(f"{BASE}/bots/create_bot", {"meeting_link": MEET, **body}, format="json")
    assert answer.status_code == 201, answer.json()
    return Bot.objects.get(pk=answer.json()["bot_id"])


def test_detail_has_the_status_timeline_and_the_request(ms):
    bot = create(
        ms,
        bot_name="Recorder",
        callback_url="https://app.example.com/hooks",
        custom_attributes={"deal": "42"},
        live_audio_required={"websocket_url": "wss://audio.example.com/in"},
        live_transcription_required={"webhook_url": "https://app.example.com/live"},
        recording_config={
            "transcript": {"provider": {"meeting_captions": {}}},
            "retention": {"type": "timed", "hours": 24},
            "realtime_endpoints": [
                {"type": "webhook", "url": "https://app.example.com/people", "events": ["participant_events.leave"]}
            ],
        },
        automatic_leave={"everyone_left_timeout": 30},
    )
    for event in ("join_started", "admitted"):
        bot_apply_event(bot, event)
    details = ms.get(f"{BASE}/bots/{bot.id}/detail").json()["bot_details"]
    timeline = details["StatusTimeline"]
    assert list(timeline) == ["Joining", "InMeeting"] and all(timeline.values())
    assert timeline["Joining"] <= timeline["InMeeting"]
    payload = details["RequestPayload"]
    assert (payload["meeting_link"], payload["bot_name"], payload["callback_url"]) == (
        MEET,
        "Recorder",
        "https://app.example.com/hooks",
    )
    assert payload["custom_attributes"] == {"deal": "42"}
    assert payload["live_audio_required"] == {"websocket_url": "wss://audio.example.com/in"}
    assert payload["live_transcription_required"] == {"webhook_url": "https://app.example.com/live"}
    assert payload["recording_config"] == {
        "transcript": {"provider": {"meeting_captions": {}}},
        "retention": {"type": "timed", "hours": 24},
        "realtime_endpoints": [
            {"type": "webhook", "url": "https://app.example.com/people", "events": ["participant_events.leave"]}
        ],
    }
    assert payload["automatic_leave"]["everyone_left_timeout"] == 30


def test_provider_chooses_notulas_backend_when_it_has_a_key(ms, settings):
    settings.DEEPGRAM_API_KEY = ""
    settings.ASSEMBLYAI_API_KEY = ""
    settings.ASR_MODEL = "tiny.en"
    keyless = create(ms, recording_config={"transcript": {"provider": {"deepgram": {"language": "en"}}}})
    assert keyless.settings["transcription"]["backend"] == settings.ASR_BACKEND, "no Deepgram key: the local model"
    german = {"transcript": {"provider": {"deepgram": {"language": "de"}}}}
    refused = ms.post(f"{BASE}/bots/create_bot", {"meeting_link": MEET, "recording_config": german}, format="json")
    assert refused.status_code == 400 and "recording_config.transcript.provider" in refused.json()["detail"]
    transcription_key_set(organization=ms.organization, provider="assemblyai", api_key="aai-key-1234567890")
    keyed = create(
        ms,
        meeting_link="https://meet.google.com/xyz-abcd-efg",
        recording_config={"transcript": {"provider": {"assemblyai_streaming": {}}}},
    )
    assert keyed.settings["transcription"]["backend"] == "assemblyai"
    other = create(
        ms,
        meeting_link="https://meet.google.com/qrs-tuvw-xyz",
        recording_config={"transcript": {"provider": {"jigsawstack": {}}}},
    )
    assert other.settings["transcription"]["backend"] == settings.ASR_BACKEND


def test_streams_transcriptions_and_transcribe(ms, media):
    bot = create(ms)
    assert ms.get(f"{BASE}/bots/{bot.id}/get_audio_streams").json() == {"bot_id": bot.id, "audio_streams": []}
    refused = ms.post(f"{BASE}/bots/{bot.id}/transcribe", {}, format="json")
    assert refused.status_code == 409 and refused.json()["detail"]

    Recording.objects.create(
        meeting=bot.meeting, kind="audio", format="flac", file="recordings/a.flac", duration_ms=9000
    )
    Recording.objects.create(meeting=bot.meeting, kind="video", format="mp4", file="recordings/m.mp4", duration_ms=9000)
    audio = ms.get(f"{BASE}/bots/{bot.id}/get_audio_streams").json()["audio_streams"]
    assert [(s["kind"], s["format"], s["duration"], s["speaker"]) for s in audio] == [("audio", "flac", 9.0, None)]
    assert "/media/" in audio[0]["url"]
    every = ms.get(f"{BASE}/bots/{bot.id}/get_recording_streams").json()["recording_streams"]
    assert [s["kind"] for s in every] == ["audio", "video"]

    SegmentFactory(meeting=bot.meeting, speaker="Alice", text="The roadmap.", backend="faster-whisper")
    Meeting.objects.filter(pk=bot.meeting_id).update(status=Meeting.Status.COMPLETED, ended_at=timezone.now())
    listed = ms.get(f"{BASE}/bots/{bot.id}/transcriptions").json()["transcriptions"]
    assert [(t["transcript_id"], t["revision"], t["segments"]) for t in listed] == [(bot.meeting_id, 1, 1)]

    bad = ms.post(f"{BASE}/bots/{bot.id}/transcribe", {"provider": {"meeting_captions": {}}}, format="json")
    assert bad.status_code == 400 and "provider" in bad.json()["detail"]
    unknown = ms.post(f"{BASE}/bots/{bot.id}/transcribe", {"model": "x"}, format="json")
    assert unknown.status_code == 400 and "model" in unknown.json()["detail"]
    queued = ms.post(f"{BASE}/bots/{bot.id}/transcribe", {"provider": {"deepgram": {}}}, format="json")
    assert queued.status_code == 200, queued.json()
    assert (queued.json()["revision"], queued.json()["transcript_id"]) == (2, bot.meeting_id)
    # Until the new revision is complete, the transcript is "not ready" again.
    assert ms.get(f"{BASE}/transcript/{bot.meeting_id}/get_transcript").status_code == 202


def test_other_organizations_bots_are_404(ms):
    bot = create(ms)
    other = make_client("Elsewhere")
    for path in ("get_audio_streams", "get_recording_streams", "transcriptions"):
        assert other.get(f"{BASE}/bots/{bot.id}/{path}").status_code == 404
    assert other.post(f"{BASE}/bots/{bot.id}/transcribe", {}, format="json").status_code == 404
