"""`recording.per_participant`: each tapped track written apart, bound to its participant by the speaking
indicators, registered beside the mix; and every reader of "the" recording still takes the mix."""

from array import array
from pathlib import Path

from django.contrib.auth import get_user_model

from bots.postprocess import _finish_tracks, write_track_recordings
from bots.recording import BYTES_PER_MS
from bots.sinks import SinkFanout, audio_sinks_for
from bots.track_recording import TrackRecorder
from compat.aitronos.outputs import _files as aitronos_files
from compat.meemo import outputs as meemo_outputs
from compat.meetingbaas.outputs import recording_url
from meetings import services
from meetings.models import MeetingEvent, Recording
from meetings.selectors import recording_mixed_latest, recordings_mixed
from meetings.timeline import SpeakerTimeline
from meetings.transcripts.retranscribe import recording_lossless
from tests.factories import BotFactory, ParticipantFactory

CALL_MS = 10_000
NO_ASR = {"transcription": {"enabled": False}}  # the sinks without a live transcriber (no model loaded)


def _tone(ms: int, level: int = 8000) -> bytes:
    """A square wave: loud enough to be sound, easy to find again."""
    samples = array("h", [level if (i // 20) % 2 else -level for i in range(ms * BYTES_PER_MS // 2)])
    return samples.tobytes()


def _feed(recorder: TrackRecorder, track: str, start_ms: int, end_ms: int) -> None:
    """100 ms chunks with sound from start_ms to end_ms, a tick at a time, as the feed hands them over."""
    for offset in range(start_ms, end_ms, 100):
        recorder.write_tracks([(track, _tone(100), offset)])


def _loud_ms(raw: Path) -> list[int]:
    """The 100 ms windows (their start) of a raw file that hold sound."""
    data = raw.read_bytes()
    step = 100 * BYTES_PER_MS
    return [i // BYTES_PER_MS for i in range(0, len(data), step) if any(data[i : i + step])]


def _call(meeting):
    """Alice speaks 1.0-3.5 s, Bob 4.0-6.5 s by the indicators; someone nobody's indicator shows at 7-9 s."""
    alice = ParticipantFactory(meeting=meeting, name="Alice Smith")
    bob = ParticipantFactory(meeting=meeting, name="Bob Jones")
    timeline = SpeakerTimeline()
    timeline.start(alice.id, alice.name, 1000)
    timeline.stop(alice.id, 3500)
    timeline.start(bob.id, bob.name, 4000)
    timeline.stop(bob.id, 6500)
    return alice, bob, timeline


def test_each_track_is_written_apart_and_bound_to_whose_indicator_it_follows(db, media):
    bot = BotFactory(settings={**NO_ASR, "recording": {"per_participant": True}}, bot_name="Notula Bot")
    alice, bob, timeline = _call(bot.meeting)
    writer, sinks = audio_sinks_for(bot, timeline)
    recorder = next(sink for sink in sinks if isinstance(sink, TrackRecorder))
    _feed(recorder, "t-alice", 1000, 3400)
    _feed(recorder, "t-bob", 4000, 6400)
    _feed(recorder, "t-pool", 7000, 9000)
    _feed(recorder, "own-voice", 9200, 9500)
    writer.finish(call_ms=CALL_MS)
    files = recorder.finish(call_ms=CALL_MS)

    assert [(f.participant_id, f.speaker) for f in files] == [
        (alice.id, "Alice Smith"),
        (bob.id, "Bob Jones"),
        (None, "Unknown speaker 1"),
        (None, "Notula Bot"),
    ]
    # Every file has the call's length and clock: sound only where that track had it.
    assert all(f.raw_path.stat().st_size == CALL_MS * BYTES_PER_MS for f in files)
    assert _loud_ms(files[0].raw_path) == list(range(1000, 3400, 100))
    assert _loud_ms(files[1].raw_path) == list(range(4000, 6400, 100))


def test_without_the_setting_no_track_is_written(db, media):
    bot = BotFactory()
    bot.settings["transcription"]["enabled"] = False
    _, sinks = audio_sinks_for(bot, SpeakerTimeline())
    assert not any(isinstance(sink, TrackRecorder) for sink in sinks)
    assert bot.settings["recording"]["per_participant"] is False


def test_track_files_are_recordings_naming_their_participant_and_deleted_with_the_data(api, media):
    bot = BotFactory(
        meeting__organization=api.organization,
        status="ended",
        settings={**NO_ASR, "recording": {"per_participant": True, "audio_format": "mp3"}},
    )
    alice, bob, timeline = _call(bot.meeting)
    _, sinks = audio_sinks_for(bot, timeline)
    fanout = SinkFanout(sinks)
    recorder = next(sink for sink in sinks if isinstance(sink, TrackRecorder))
    _feed(recorder, "t-alice", 1000, 3400)
    _feed(recorder, "t-pool", 7000, 9000)
    tracks = _finish_tracks(fanout, CALL_MS)
    fanout.close()
    recordings = write_track_recordings(bot=bot, tracks=tracks, duration_ms=CALL_MS)

    assert [(r.source, r.participant_id, r.speaker, r.format) for r in recordings] == [
        ("participant", alice.id, "Alice Smith", "mp3"),
        ("participant", None, "Unknown speaker 1", "mp3"),
    ]
    body = api.get(f"/api/v1/meetings/{bot.meeting_id}/recording").json()
    listed = [(r["source"], r["participant_id"], r["speaker"], r["duration_ms"]) for r in body["recordings"]]
    assert listed == [
        ("participant", alice.id, "Alice Smith", CALL_MS),
        ("participant", None, "Unknown speaker 1", CALL_MS),
    ]
    ready = [e.payload for e in MeetingEvent.objects.filter(meeting=bot.meeting, type="recording.ready")]
    assert [(p["source"], p["participant_id"], p["speaker"]) for p in ready] == [
        ("participant", alice.id, "Alice Smith"),
        ("participant", None, "Unknown speaker 1"),
    ]
    stored = [media / r.file.name for r in recordings]
    assert all(path.stat().st_size > 0 for path in stored)

    response = api.post(f"/api/v1/bots/{bot.id}/delete_data")
    assert response.status_code == 200, response.content
    assert not any(path.exists() for path in stored)
    assert not Recording.objects.filter(meeting=bot.meeting).exists()


def _recording(meeting, bot, name: str, fmt: str, *, kind="audio", participant=None, speaker=""):
    path = media_root(meeting) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * 10)
    return services.recording_create(
        meeting=meeting,
        kind=kind,
        format=fmt,
        path=path,
        duration_ms=5000,
        bot_id=bot.id,
        participant=participant,
        speaker=speaker,
    )


def media_root(meeting) -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / "recordings" / meeting.id


def test_every_reader_of_the_recording_takes_the_mix(api, client, media):
    bot = BotFactory(meeting__organization=api.organization, status="ended")
    meeting = bot.meeting
    alice = ParticipantFactory(meeting=meeting, name="Alice Smith")
    mixed = _recording(meeting, bot, "audio.mp3", "mp3")
    # The participants' files come after the mix, lossless: "newest" or "lossless first" would take them.
    _recording(meeting, bot, "tracks/participant-1.flac", "flac", participant=alice, speaker="Alice Smith")
    _recording(meeting, bot, "tracks/participant-2.flac", "flac", speaker="Unknown speaker 1")

    assert list(recordings_mixed(meeting=meeting)) == [mixed]
    assert recording_mixed_latest(meeting=meeting, kind="audio") == mixed
    assert recording_lossless(meeting=meeting) == mixed
    assert recording_url(bot, "audio").split("?")[0].endswith(f"recordings/{meeting.id}/audio.mp3")
    meemo = meemo_outputs.recording(meeting, None)
    assert [a["format"] for a in meemo["assets"]] == ["mp3"] and meemo["format"] == "mp3"
    files = aitronos_files(bot)
    assert files["audio_file_count"] == 1 and files["total_size_bytes"] == 10
    member = get_user_model().objects.create_user("member")
    api.organization.members.add(member)
    client.force_login(member)
    page = client.get(f"/dashboard/meetings/{meeting.id}/fragments/media")
    assert page.status_code == 200, page.content
    # One player, the mix's; every file is a download, each participant's under their name.
    assert page.content.count(b"<audio") == 1 and b"Alice Smith audio .flac" in page.content
    listed = api.get(f"/api/v1/meetings/{meeting.id}/recording").json()["recordings"]
    assert [(r["source"], r["speaker"]) for r in listed] == [
        ("mixed", None),
        ("participant", "Alice Smith"),
        ("participant", "Unknown speaker 1"),
    ]


def test_a_track_that_cannot_be_finished_costs_only_the_participants_files(db, media):
    bot = BotFactory(settings={**NO_ASR, "recording": {"per_participant": True}})
    _, sinks = audio_sinks_for(bot, SpeakerTimeline())
    fanout = SinkFanout(sinks)
    recorder = next(sink for sink in sinks if isinstance(sink, TrackRecorder))
    _feed(recorder, "t-alice", 1000, 1500)
    recorder.close()  # after a crash the tracks may be closed already: they can no longer be finished
    # No exception out of it: post-processing goes on to the mix and the transcript.
    assert _finish_tracks(fanout, CALL_MS) == []
