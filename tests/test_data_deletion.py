"""POST .../delete_data: a bot's or a meeting's media files leave the storage, its personal data leaves
the database, an audit stub stays, and `data.deleted` is published; each answer says what happened."""

from pathlib import Path

import pytest

from bots.models import Bot
from deletion import registry
from deletion.models import DataDeletion
from meetings import services
from meetings.events import EventType, publish
from meetings.models import Meeting, MeetingEvent, Participant, ParticipantEvent, Recording, TranscriptSegment
from tests.factories import BotFactory, MeetingFactory, ParticipantFactory, SegmentFactory, event_data


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


def _write(path: Path, data: bytes = b"bytes") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def recorded(api, media):
    """An ended bot of Acme with everything a call leaves: audio and video recordings, the encoder's
    raw part, the Markdown document, the camera picture, debug files, people, transcript and events."""
    bot = BotFactory(meeting__organization=api.organization, status="ended", meeting__title="Alice / Bob 1:1")
    meeting = bot.meeting
    folder = media / "recordings" / meeting.id
    for name, kind, fmt in (("audio.mp3", "audio", "mp3"), ("video.mp4", "video", "mp4")):
        services.recording_create(
            meeting=meeting, kind=kind, format=fmt, path=_write(folder / name), duration_ms=1000, bot_id=bot.id
        )
    _write(folder / "audio.pcm")
    _write(media / "documents" / meeting.project_id / f"{meeting.id}.md", b"# Alice / Bob")
    _write(media / "bots" / bot.id / "camera.y4m")
    _write(media / "debug" / f"{bot.id}.png")
    Bot.objects.filter(pk=bot.pk).update(debug_screenshot=f"debug/{bot.id}.png")
    alice = ParticipantFactory(meeting=meeting, name="Alice Smith")
    ParticipantEvent.objects.create(meeting=meeting, participant=alice, kind="join", occurred_at=meeting.created_at)
    SegmentFactory(meeting=meeting, participant=alice, text="My phone number is 555 0100.")
    Meeting.objects.filter(pk=meeting.pk).update(summary="Alice shared her number.", keywords=["phone"])
    publish(meeting, EventType.SEGMENT_FINALIZED, event_data(EventType.SEGMENT_FINALIZED), bot_id=bot.id)
    publish(meeting, EventType.BOT_STATUS_CHANGED, event_data(EventType.BOT_STATUS_CHANGED), bot_id=bot.id)
    # Another meeting's files must stay.
    _write(media / "recordings" / "mtg_other" / "audio.mp3")
    return bot


def test_delete_data_on_a_bot_leaves_no_file_and_no_personal_data(api, media, recorded):
    assert len(_files(media)) == 7
    response = api.post(f"/api/v1/bots/{recorded.id}/delete_data")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "deleted" and body["object"] == "bot" and body["object_id"] == recorded.id
    assert body["removed"] == {
        "recordings": 3,
        "documents": 1,
        "bot_files": 1,
        "debug_files": 1,
        "transcript": 1,
        "participants": 1,
        "meeting_texts": 3,
        "events": 3,
    }
    assert body["failed"] == {} and body["reason"] == "request"
    assert body["requested_by"] == f"api_key:{api.issued.api_key.pk}"

    assert _files(media) == ["recordings/mtg_other/audio.mp3"]
    assert not (media / "recordings" / recorded.meeting_id).exists() and not (media / "bots" / recorded.id).exists()
    meeting = Meeting.objects.get(pk=recorded.meeting_id)
    assert (meeting.title, meeting.summary, meeting.keywords) == ("", "", [])
    assert not Recording.objects.filter(meeting=meeting).exists()
    assert not TranscriptSegment.objects.filter(meeting=meeting).exists()
    assert not Participant.objects.filter(meeting=meeting).exists()
    assert not ParticipantEvent.objects.filter(meeting=meeting).exists()
    assert list(MeetingEvent.objects.filter(meeting=meeting).values_list("type", flat=True)) == ["bot.status_changed"]
    bot = Bot.objects.get(pk=recorded.pk)
    assert not bot.debug_screenshot and bot.status == "ended"

    stub = DataDeletion.objects.get(pk=body["id"])
    assert (stub.meeting_id, stub.bot_ids, stub.outcome) == (meeting.id, [bot.id], "deleted")
    event = MeetingEvent.objects.get(organization=api.organization, type="data.deleted")
    assert event.bot_id == bot.id
    assert event.payload | {"parts": sorted(event.payload["parts"])} == {
        "object": "bot",
        "object_id": bot.id,
        "meeting_id": meeting.id,
        "bot_ids": [bot.id],
        "reason": "request",
        "status": "deleted",
        "parts": sorted(body["removed"]),
        "failed": [],
        "deletion_id": stub.id,
    }
    # The transcript and participants endpoints answer empty, the recording endpoint no file.
    assert api.get(f"/api/v1/meetings/{meeting.id}/transcript").json()["segments"] == []
    assert api.get(f"/api/v1/meetings/{meeting.id}/participants").json() == []
    assert api.get(f"/api/v1/meetings/{meeting.id}/recording").json()["recordings"] == []


def test_asking_again_answers_already_deleted_and_publishes_nothing_more(api, media, recorded):
    assert api.post(f"/api/v1/bots/{recorded.id}/delete_data").json()["status"] == "deleted"
    again = api.post(f"/api/v1/meetings/{recorded.meeting_id}/delete_data")
    assert again.status_code == 200
    assert again.json()["status"] == "already_deleted" and again.json()["removed"] == {}
    assert again.json()["object"] == "meeting"
    assert MeetingEvent.objects.filter(organization=api.organization, type="data.deleted").count() == 1
    assert DataDeletion.objects.filter(meeting_id=recorded.meeting_id).count() == 2


def test_a_bot_that_never_ran_has_no_data(api, media):
    bot = BotFactory(meeting__organization=api.organization, status="scheduled")
    body = api.post(f"/api/v1/bots/{bot.id}/delete_data").json()
    assert body["status"] == "no_data" and body["removed"] == {}
    assert not MeetingEvent.objects.filter(type="data.deleted").exists()


def test_a_kind_that_fails_leaves_a_partial_deletion_that_a_retry_completes(api, media, recorded):
    attempts = []

    def whiteboard_delete(target):
        attempts.append(target.meeting.id)
        if len(attempts) == 1:
            raise OSError("the whiteboard store did not answer")
        return 2

    registry.data_kind_register("whiteboard", whiteboard_delete)
    try:
        first = api.post(f"/api/v1/bots/{recorded.id}/delete_data").json()
        assert first["status"] == "partially_deleted"
        assert first["failed"] == {"whiteboard": "OSError: the whiteboard store did not answer"}
        assert "recordings" in first["removed"] and _files(media) == ["recordings/mtg_other/audio.mp3"]
        event = MeetingEvent.objects.get(organization=api.organization, type="data.deleted")
        assert (event.payload["status"], event.payload["failed"]) == ("partially_deleted", ["whiteboard"])
        second = api.post(f"/api/v1/bots/{recorded.id}/delete_data").json()
        assert second["status"] == "deleted" and second["removed"] == {"whiteboard": 2}
    finally:
        registry._KINDS.pop("whiteboard")
    assert attempts == [recorded.meeting_id] * 2


def test_an_imported_meetings_upload_and_recording_go(api, media):
    meeting = MeetingFactory(organization=api.organization, source="file", status="completed", title="call.mp3")
    _write(media / "imports" / meeting.id / "call.mp3")
    _write(media / "recordings" / f"{meeting.id}.flac")
    Recording.objects.create(meeting=meeting, kind="audio", format="flac", file=f"recordings/{meeting.id}.flac")
    body = api.post(f"/api/v1/meetings/{meeting.id}/delete_data").json()
    assert body["status"] == "deleted" and body["bot_ids"] == []
    assert body["removed"] == {"recordings": 1, "imports": 1, "meeting_texts": 1}
    assert _files(media) == []


@pytest.mark.parametrize("status", ["joining", "in_call", "post_processing"])
def test_a_running_bot_must_end_first(api, media, status):
    bot = BotFactory(meeting__organization=api.organization, status=status)
    response = api.post(f"/api/v1/bots/{bot.id}/delete_data")
    assert response.status_code == 409 and response.json()["error"]["code"] == "bot_active"
    assert not DataDeletion.objects.exists()


def test_a_meeting_being_transcribed_must_finish_first(api, media):
    meeting = MeetingFactory(organization=api.organization, source="file", status="processing")
    response = api.post(f"/api/v1/meetings/{meeting.id}/delete_data")
    assert response.status_code == 409 and response.json()["error"]["code"] == "meeting_processing"


def test_another_organizations_bot_and_meeting_are_not_found(api, other_api, media, recorded):
    assert other_api.post(f"/api/v1/bots/{recorded.id}/delete_data").status_code == 404
    assert other_api.post(f"/api/v1/meetings/{recorded.meeting_id}/delete_data").status_code == 404
    assert len(_files(media)) == 7
    assert api.post(f"/api/v1/bots/{recorded.id}/delete_data", {"x": 1}, format="json").status_code == 200


def test_the_meetings_chat_and_screenshots_go_with_it(api, media, recorded):
    from django.utils import timezone

    from meetings.models import ChatMessage

    meeting = recorded.meeting
    ChatMessage.objects.create(
        meeting=meeting, bot_id=recorded.id, sender="Alice Smith", text="My PIN is 4321", sent_at=timezone.now()
    )
    other = MeetingFactory(organization=api.organization)
    ChatMessage.objects.create(meeting=other, sender="Carol", text="stays", sent_at=timezone.now())
    _write(media / "bots" / recorded.id / "screenshots" / "20261206-101500.png")
    body = api.post(f"/api/v1/bots/{recorded.id}/delete_data").json()
    assert body["status"] == "deleted" and body["removed"]["chat"] == 1
    assert not ChatMessage.objects.filter(meeting=meeting).exists()
    assert list(ChatMessage.objects.values_list("text", flat=True)) == ["stays"]
    assert not (media / "bots" / recorded.id).exists()
