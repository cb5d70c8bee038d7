from datetime import UTC, datetime, timedelta

from bots.platforms.base import RosterEntry
from bots.roster import RosterTracker
from meetings.models import MeetingEvent, ParticipantEvent
from meetings.timeline import SpeakerTimeline
from tests.factories import MeetingFactory

T0 = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


def tick(tracker, roster, ms):
    return tracker.update(roster, at=T0 + timedelta(milliseconds=ms), offset_ms=ms)


def test_roster_changes_become_participants_events_and_a_timeline(db):
    meeting = MeetingFactory()
    timeline = SpeakerTimeline()
    tracker = RosterTracker(meeting=meeting, bot_id="bot_x", timeline=timeline)
    alice, bob = RosterEntry("a1", "Alice", is_host=True), RosterEntry("b1", "Bob")
    alice_talks = RosterEntry("a1", "Alice", is_host=True, is_speaking=True)

    assert tick(tracker, [alice], 0) is False
    assert tick(tracker, [alice_talks, bob], 1000) is True
    tick(tracker, [alice, bob], 3000)  # flag off: not yet a stop (grace)
    assert tick(tracker, [alice, bob], 3200) is False
    assert tick(tracker, [alice], 3700) is True  # stop confirmed, dated at its first sighting
    tick(tracker, [alice], 5300)  # Bob missing for 2.3 s: he left at 3.7 s

    a, b = (meeting.participants.get(external_id=k) for k in ("a1", "b1"))
    assert a.is_host and a.left_at is None
    assert b.left_at == T0 + timedelta(milliseconds=3700)
    kinds = list(ParticipantEvent.objects.filter(participant=a).values_list("kind", "offset_ms"))
    assert kinds == [("join", 0), ("speech_start", 1000), ("speech_stop", 3000)]
    assert timeline.speakers_between(0, 10_000) == [(a.id, "Alice", 2000)]
    types = list(MeetingEvent.objects.filter(meeting=meeting).values_list("type", flat=True))
    assert types == [
        "participant.joined",
        "participant.joined",
        "speaker.changed",
        "speaker.changed",
        "participant.left",
    ]
    left = MeetingEvent.objects.get(meeting=meeting, type="participant.left").payload
    assert left["participant_id"] == b.id and left["offset_ms"] == 3700 and left["at"].startswith("2026-01-01T10:00:03")


def test_a_tile_that_blinks_is_not_a_leave_and_a_rejoin_reuses_the_row(db):
    meeting = MeetingFactory()
    tracker = RosterTracker(meeting=meeting, bot_id="", timeline=SpeakerTimeline())
    bob = RosterEntry("b1", "Bob")
    tick(tracker, [bob], 0)
    tick(tracker, [], 200)
    tick(tracker, [bob], 400)
    assert not ParticipantEvent.objects.filter(kind="leave").exists()
    tick(tracker, [], 600)
    tick(tracker, [], 2500)
    tick(tracker, [bob], 3000)
    assert meeting.participants.count() == 1
    events = list(ParticipantEvent.objects.values_list("kind", flat=True))
    assert events == ["join", "leave", "join"]
    assert meeting.participants.get().left_at is None


def test_close_stops_open_speech(db):
    meeting = MeetingFactory()
    timeline = SpeakerTimeline()
    tracker = RosterTracker(meeting=meeting, bot_id="", timeline=timeline)
    tick(tracker, [RosterEntry("c", "Carol", is_speaking=True)], 500)
    tracker.close(at=T0 + timedelta(seconds=2), offset_ms=2000)
    assert list(ParticipantEvent.objects.values_list("kind", "offset_ms")) == [
        ("join", 500),
        ("speech_start", 500),
        ("speech_stop", 2000),
    ]
    assert timeline.speaking_now() == []
