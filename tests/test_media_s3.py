"""NOTULA_MEDIA_STORAGE=s3: media files live in an S3-compatible bucket (a local server speaking S3's
protocol), /media/ answers a presigned link of the store after its own checks, and deleting a bot's
data removes its objects from the bucket."""

import itertools
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from bots.models import Bot
from common.media_store import media_is_local, media_local_copy
from meetings import services
from meetings.transcripts import transcript_complete
from tests.factories import BotFactory, SegmentFactory
from tests.s3_server import S3Server

pytestmark = [pytest.mark.slow]  # a separate S3 server process per module
_names = itertools.count()


@pytest.fixture(scope="module")
def s3():
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3, settings, media):
    name = f"notula-media-{next(_names)}"
    settings.STORAGES = s3.bucket(name)
    assert not media_is_local()
    return name


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def recorded(api, media, bucket):
    bot = BotFactory(meeting__organization=api.organization, status="ended")
    local = media / "recordings" / bot.meeting_id / "audio.mp3"
    local.parent.mkdir(parents=True)
    local.write_bytes(b"ID3 the call")
    services.recording_create(
        meeting=bot.meeting, kind="audio", format="mp3", path=local, duration_ms=1000, bot_id=bot.id
    )
    return bot


def test_a_finished_recording_moves_into_the_bucket(s3, bucket, media, recorded):
    assert s3.keys(bucket) == [f"recordings/{recorded.meeting_id}/audio.mp3"]
    assert not (media / "recordings" / recorded.meeting_id / "audio.mp3").exists()
    body = s3.client().get_object(Bucket=bucket, Key=f"recordings/{recorded.meeting_id}/audio.mp3")["Body"]
    assert body.read() == b"ID3 the call"


def test_the_signed_link_redirects_to_a_presigned_link_of_the_store(api, anon, settings, recorded):
    [recording] = api.get(f"/api/v1/meetings/{recorded.meeting_id}/recording").json()["recordings"]
    response = anon.get(_path(recording["url"]))
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    presigned = response["Location"]
    query = parse_qs(urlsplit(presigned).query)
    assert query["X-Amz-Expires"] == [str(settings.MEDIA_LINK_TTL_S)] and "X-Amz-Signature" in query
    assert requests.get(presigned, timeout=10).content == b"ID3 the call"
    # Notula's own checks still come first: no key, no link.
    assert anon.get(f"/media/recordings/{recorded.meeting_id}/audio.mp3").status_code == 401
    assert anon.get(f"/media/recordings/{recorded.meeting_id}/gone.mp3").status_code == 401
    assert api.get(f"/media/recordings/{recorded.meeting_id}/gone.mp3").status_code == 404


def test_documents_and_debug_files_go_to_the_bucket_and_delete_data_empties_it(s3, bucket, api, media, recorded):
    meeting = recorded.meeting
    SegmentFactory(meeting=meeting, text="We agreed on the plan.")
    transcript_complete(meeting=meeting)
    bot = Bot.objects.get(pk=recorded.pk)
    bot.debug_screenshot.save(f"{bot.id}.png", ContentFile(b"\x89PNG"), save=True)
    # A file left in the scratch space (the encoder's raw part) is found there too.
    (media / "recordings" / meeting.id / "audio.pcm").write_bytes(b"raw")
    document = f"documents/{meeting.project_id}/{meeting.id}.md"
    assert s3.keys(bucket) == sorted([f"debug/{bot.id}.png", document, f"recordings/{meeting.id}/audio.mp3"])
    assert api.get(f"/api/v1/meetings/{meeting.id}").json()["document_url"]

    body = api.post(f"/api/v1/bots/{bot.id}/delete_data").json()
    assert body["status"] == "deleted"
    assert body["removed"]["recordings"] == 2 and body["removed"]["documents"] == 1
    assert body["removed"]["debug_files"] == 1
    assert s3.keys(bucket) == []
    assert [p for p in media.rglob("*") if p.is_file()] == []
    assert api.get(f"/api/v1/meetings/{meeting.id}").json()["document_url"] is None


def test_a_stored_file_is_read_back_through_a_temporary_copy(bucket):
    storages["default"].save("recordings/mtg_x/audio.flac", ContentFile(b"fLaC"))
    with media_local_copy("recordings/mtg_x/audio.flac") as local:
        assert local.read_bytes() == b"fLaC"
    assert not local.exists()
