"""Recordings, documents and debug files go only to the organization that owns them: a signed link from
an API answer, one of its API keys, or a dashboard member. /media/ no longer serves a path to anyone."""

import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from bots import lifecycle
from common.media import media_link
from meetings import services
from meetings.models import MeetingEvent
from tests.factories import BotFactory


@pytest.fixture
def recorded(api, media):
    """A meeting of Acme with an mp3 recording registered the way a bot registers it."""
    bot = BotFactory(meeting__organization=api.organization, status="ended")
    directory = media / "recordings" / bot.meeting_id
    directory.mkdir(parents=True)
    (directory / "audio.mp3").write_bytes(b"ID3 mp3 bytes")
    services.recording_create(
        meeting=bot.meeting, kind="audio", format="mp3", path=directory / "audio.mp3", duration_ms=1000, bot_id=bot.id
    )
    return bot


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _code(response, status: int) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()["error"]["code"]


def test_the_signed_link_of_an_api_answer_plays_without_a_key(api, recorded):
    [recording] = api.get(f"/api/v1/meetings/{recorded.meeting_id}/recording").json()["recordings"]
    response = APIClient().get(_path(recording["url"]))
    assert response.status_code == 200 and _content(response) == b"ID3 mp3 bytes"
    assert response["Content-Type"] == "audio/mpeg"


def test_the_bare_path_needs_credentials(anon, recorded):
    path = f"/media/recordings/{recorded.meeting_id}/audio.mp3"
    assert _code(anon.get(path), 401) == "not_authenticated"


def test_the_owners_api_key_opens_the_event_url(api, recorded):
    ready = MeetingEvent.objects.get(meeting=recorded.meeting, type="recording.ready").payload
    response = api.get(_path(ready["url"]))
    assert response.status_code == 200 and _content(response) == b"ID3 mp3 bytes"


def test_another_organizations_key_gets_404(other_api, recorded):
    path = f"/media/recordings/{recorded.meeting_id}/audio.mp3"
    assert _code(other_api.get(path), 404) == "not_found"


def test_an_expired_link_is_refused(anon, recorded, settings):
    settings.MEDIA_LINK_TTL_S = 2
    url, expires_at = media_link(f"recordings/{recorded.meeting_id}/audio.mp3")
    assert anon.get(_path(url)).status_code == 200
    time.sleep(3.1)
    assert _code(anon.get(_path(url)), 403) == "link_expired"


def test_a_tampered_link_is_refused(anon, recorded, media):
    url, _ = media_link(f"recordings/{recorded.meeting_id}/audio.mp3")
    (media / "recordings" / recorded.meeting_id / "audio.flac").write_bytes(b"flac")
    other_file = url.replace("audio.mp3", "audio.flac")
    assert _code(anon.get(_path(other_file)), 403) == "link_invalid"
    token = url.split("token=")[1]
    forged = url.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))
    assert _code(anon.get(_path(forged)), 403) == "link_invalid"


def test_a_dashboard_member_plays_it_and_a_stranger_does_not(client, recorded):
    path = f"/media/recordings/{recorded.meeting_id}/audio.mp3"
    member = get_user_model().objects.create_user("alice", password="pw-pw-pw-pw")
    recorded.organization.members.add(member)
    client.force_login(member)
    assert _content(client.get(path)) == b"ID3 mp3 bytes"
    client.force_login(get_user_model().objects.create_user("mallory", password="pw-pw-pw-pw"))
    assert _code(client.get(path), 404) == "not_found"


def test_debug_artefacts_follow_the_same_rule(api, other_api, anon, media):
    bot = BotFactory(meeting__organization=api.organization, status="in_call")
    lifecycle.bot_crash(bot=bot, message="boom", screenshot=b"\x89PNG...", html="<html>page</html>")
    body = api.get(f"/api/v1/bots/{bot.id}").json()
    assert _content(anon.get(_path(body["debug_screenshot_url"]))) == b"\x89PNG..."
    bare = urlsplit(body["debug_html_url"]).path
    assert _content(api.get(bare)) == b"<html>page</html>"
    assert _code(other_api.get(bare), 404) == "not_found"
    assert _code(anon.get(bare), 401) == "not_authenticated"


def test_the_transcript_document_link_in_the_api_and_in_the_event(api, other_api, anon, media):
    from meetings.transcripts import transcript_complete

    bot = BotFactory(meeting__organization=api.organization, status="ended")
    assert api.get(f"/api/v1/meetings/{bot.meeting_id}").json()["document_url"] is None
    transcript_complete(meeting=bot.meeting, bot_id=bot.id)
    signed = api.get(f"/api/v1/meetings/{bot.meeting_id}").json()["document_url"]
    assert anon.get(_path(signed)).status_code == 200
    saved = MeetingEvent.objects.filter(meeting=bot.meeting, type="document.saved").last().payload
    assert api.get(_path(saved["url"])).status_code == 200
    assert _code(other_api.get(_path(saved["url"])), 404) == "not_found"
    assert _code(anon.get(_path(saved["url"])), 401) == "not_authenticated"


@pytest.mark.parametrize(
    "path",
    ["/media/../config/settings.py", "/media/recordings/../../manage.py", "/media/secret.txt", "/media/recordings/x"],
)
def test_paths_outside_what_an_organization_owns_are_404(api, media, path):
    media.mkdir(parents=True, exist_ok=True)
    (media / "secret.txt").write_text("no")
    assert api.get(path).status_code == 404
