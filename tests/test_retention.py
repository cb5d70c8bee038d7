"""Retention: an organization's default and a bot's own `retention`; the beat task deletes the data
of meetings past it, publishes `data.deleted` with reason `retention`, and leaves the rest alone."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from deletion.models import DataDeletion
from deletion.retention import retention_sweep
from deletion.tasks import delete_expired_data
from meetings.models import MeetingEvent, Recording
from tests.factories import BotFactory, MeetingFactory, SegmentFactory


def _ended_bot(organization, media, *, hours_ago: float, retention: dict | None = None):
    bot = BotFactory(
        meeting__organization=organization, status="ended", ended_at=timezone.now() - timedelta(hours=hours_ago)
    )
    if retention is not None:
        bot.settings["retention"] = retention
        bot.save(update_fields=["settings"])
    path = Path(media) / "recordings" / bot.meeting_id / "audio.mp3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"ID3")
    Recording.objects.create(
        meeting=bot.meeting, kind="audio", format="mp3", file=f"recordings/{bot.meeting_id}/audio.mp3"
    )
    SegmentFactory(meeting=bot.meeting)
    return bot, path


def test_the_organization_default_is_forever_until_set(api):
    assert api.get("/api/v1/retention").json() == {"type": "forever"}
    answer = api.put("/api/v1/retention", {"type": "timed", "hours": 48}, format="json")
    assert answer.status_code == 200 and answer.json() == {"type": "timed", "hours": 48}
    assert api.get("/api/v1/retention").json() == {"type": "timed", "hours": 48}
    assert api.put("/api/v1/retention", {"type": "forever"}, format="json").json() == {"type": "forever"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "timed"}, "hours"),
        ({"type": "forever", "hours": 3}, "hours"),
        ({"type": "timed", "hours": 0}, "hours"),
        ({"type": "weekly"}, "type"),
        ({"type": "timed", "hours": 2, "days": 1}, "days"),
    ],
)
def test_a_bad_retention_is_a_400_naming_the_field(api, body, field):
    response = api.put("/api/v1/retention", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    bot = api.post(
        "/api/v1/bots", {"meeting_url": "https://meet.google.com/abc-defg-hij", "retention": body}, format="json"
    )
    assert bot.status_code == 400
    assert any(name.startswith("retention") for name in bot.json()["error"]["fields"]), bot.json()


def test_a_bots_retention_is_kept_in_its_settings_and_replaced_whole(api):
    created = api.post(
        "/api/v1/bots",
        {
            "meeting_url": "https://meet.google.com/abc-defg-hij",
            "join_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "retention": {"type": "timed", "hours": 24},
        },
        format="json",
    ).json()
    assert created["settings"]["retention"] == {"type": "timed", "hours": 24}
    changed = api.patch(f"/api/v1/bots/{created['id']}", {"retention": {"type": "forever"}}, format="json")
    assert changed.json()["settings"]["retention"] == {"type": "forever"}
    # A change must name the type too: without it, a 400 naming it (never a 500).
    partial = api.patch(f"/api/v1/bots/{created['id']}", {"retention": {"hours": 1}}, format="json")
    assert partial.status_code == 400 and "type" in partial.json()["error"]["fields"]["retention"]
    plain = api.post("/api/v1/bots", {"meeting_url": "https://meet.google.com/abc-defg-xyz"}, format="json").json()
    assert "retention" not in plain["settings"]


def test_the_sweep_deletes_only_what_outlived_its_retention(api, media):
    api.put("/api/v1/retention", {"type": "timed", "hours": 24}, format="json")
    expired, expired_file = _ended_bot(api.organization, media, hours_ago=25)
    young, young_file = _ended_bot(api.organization, media, hours_ago=23)
    forever, forever_file = _ended_bot(api.organization, media, hours_ago=1000, retention={"type": "forever"})
    own, own_file = _ended_bot(api.organization, media, hours_ago=2, retention={"type": "timed", "hours": 1})
    running = BotFactory(meeting__organization=api.organization, status="in_call")

    deletions = retention_sweep()
    assert sorted(d.object_id for d in deletions) == sorted([expired.id, own.id])
    assert all(d.reason == "retention" and d.requested_by == "retention" for d in deletions)
    assert not expired_file.exists() and not own_file.exists()
    assert young_file.exists() and forever_file.exists()
    assert not expired.meeting.segments.exists() and young.meeting.segments.exists()
    assert not DataDeletion.objects.filter(meeting_id__in=[running.meeting_id, young.meeting_id]).exists()
    events = MeetingEvent.objects.filter(organization=api.organization, type="data.deleted")
    assert {e.payload["object_id"]: e.payload["reason"] for e in events} == {
        expired.id: "retention",
        own.id: "retention",
    }

    # A second sweep finds nothing new; two hours later the young one has expired too.
    assert retention_sweep() == []
    later = retention_sweep(now=timezone.now() + timedelta(hours=2))
    assert [d.object_id for d in later] == [young.id] and not young_file.exists()


def test_an_organization_without_a_policy_keeps_everything(api, other_api, media):
    other_api.put("/api/v1/retention", {"type": "timed", "hours": 1}, format="json")
    kept, kept_file = _ended_bot(api.organization, media, hours_ago=10000)
    assert retention_sweep() == [] and kept_file.exists()


def test_imported_meetings_follow_the_organization_from_their_import(api, media):
    api.put("/api/v1/retention", {"type": "timed", "hours": 2}, format="json")
    old = MeetingFactory(organization=api.organization, source="file", status="completed")
    new = MeetingFactory(organization=api.organization, source="file", status="completed")
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    SegmentFactory(meeting=old)
    SegmentFactory(meeting=new)
    assert delete_expired_data() == 1
    assert not old.segments.exists() and new.segments.exists()
    assert DataDeletion.objects.get(meeting_id=old.id).object_type == "meeting"


def test_the_beat_runs_the_sweep():
    schedule = settings.CELERY_BEAT_SCHEDULE["delete-expired-data"]
    assert schedule["task"] == delete_expired_data.name
    assert schedule["schedule"] <= 3600


def test_webhooks_subscribe_to_data_deleted_by_either_name(api, media):
    for name in ("data.deleted", "data_deleted"):
        hook = api.post(
            "/api/v1/webhooks", {"url": "https://hooks.example.com/x", "event_types": [name]}, format="json"
        )
        assert hook.status_code == 201 and hook.json()["event_types"] == ["data.deleted"], hook.content
