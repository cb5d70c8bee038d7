import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from bots import lifecycle
from meetings import services
from meetings.models import MeetingEvent
from tests.factories import BotFactory


def test_recording_endpoint_links_the_files(api, other_api, media):
    bot = BotFactory(meeting__organization=api.organization, status="ended")
    directory = media / "recordings" / bot.meeting_id
    directory.mkdir(parents=True)
    for fmt in ("flac", "mp3"):
        (directory / f"audio.{fmt}").write_bytes(b"x" * 100)
        services.recording_create(
            meeting=bot.meeting,
            kind="audio",
            format=fmt,
            path=directory / f"audio.{fmt}",
            duration_ms=5000,
            bot_id=bot.id,
        )
    body = api.get(f"/api/v1/meetings/{bot.meeting_id}/recording").json()
    assert body["status"] == "ready"
    assert [(r["format"], r["duration_ms"], r["size_bytes"]) for r in body["recordings"]] == [
        ("flac", 5000, 100),
        ("mp3", 5000, 100),
    ]
    url = body["recordings"][1]["url"]
    assert url.split("?")[0].endswith(f"/media/recordings/{bot.meeting_id}/audio.mp3") and "token=" in url
    download = APIClient().get(url.split("testserver", 1)[1])  # a signed link needs no key
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"x" * 100
    ready = MeetingEvent.objects.filter(meeting=bot.meeting, type="recording.ready").last().payload
    assert ready["format"] == "mp3" and ready["url"].endswith(f"/media/recordings/{bot.meeting_id}/audio.mp3")
    assert other_api.get(f"/api/v1/meetings/{bot.meeting_id}/recording").status_code == 404


def test_never_admitted_meeting_has_no_recording(api):
    bot = BotFactory(meeting__organization=api.organization, status="ended", joined_at=None)
    body = api.get(f"/api/v1/meetings/{bot.meeting_id}/recording").json()
    assert body == {"meeting_id": bot.meeting_id, "status": "none", "recordings": []}


def test_debug_artefacts_are_linked_from_the_bot(api, media):
    bot = BotFactory(meeting__organization=api.organization, status="in_call")
    lifecycle.bot_crash(bot=bot, message="boom", screenshot=b"\x89PNG", html="<html></html>")
    body = api.get(f"/api/v1/bots/{bot.id}").json()
    assert body["status"] == "failed" and body["end_reason"] == "bot_crashed"
    assert body["debug_screenshot_url"].split("?")[0].endswith(".png")
    assert body["debug_html_url"].split("?")[0].endswith(".html")
    assert [e["event"] for e in body["events"]] == ["failed"]


def test_run_bot_command_refuses_a_bot_that_is_not_queued(db):
    bot = BotFactory(status="ended")
    with pytest.raises(CommandError, match="only a queued bot"):
        call_command("run_bot", bot.id)
    with pytest.raises(CommandError, match="No bot"):
        call_command("run_bot", "bot_nope")
