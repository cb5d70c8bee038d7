from meetings.timeline import SpeakerTimeline


def test_speakers_between_ranks_by_overlap():
    t = SpeakerTimeline()
    t.start("p1", "Alice", 0)
    t.stop("p1", 3000)
    t.start("p2", "Bob", 2000)
    t.stop("p2", 9000)
    assert t.speakers_between(0, 3000) == [("p1", "Alice", 3000), ("p2", "Bob", 1000)]
    assert t.speakers_between(2500, 10000) == [("p2", "Bob", 6500), ("p1", "Alice", 500)]
    assert t.speakers_between(9000, 12000) == []


def test_open_interval_counts_to_the_end_of_the_range_and_repeats_add_up():
    t = SpeakerTimeline()
    t.start("p1", "Alice", 1000)
    t.start("p1", "Alice", 1500)  # already speaking: ignored
    assert t.speakers_between(0, 4000) == [("p1", "Alice", 3000)]
    assert t.speaking_now() == ["p1"]
    t.stop("p1", 2000)
    t.start("p1", "Alice", 5000)
    t.stop("p1", 6000)
    t.stop("p2", 6000)  # never started: ignored
    assert t.speakers_between(0, 10000) == [("p1", "Alice", 2000)]


def test_stop_all_closes_open_intervals():
    t = SpeakerTimeline()
    t.start("p1", "Alice", 0)
    t.start("p2", "Bob", 100)
    t.stop_all(1000)
    assert t.speaking_now() == []
    assert t.speakers_between(0, 5000) == [("p1", "Alice", 1000), ("p2", "Bob", 900)]


def test_started_between_names_who_began_in_the_range():
    t = SpeakerTimeline()
    t.start("p1", "Alice", 1000)
    t.start("p2", "Bob", 4000)
    t.stop("p1", 4500)
    assert t.started_between(3000, 5000) == ["p2"]
    assert t.started_between(0, 5000) == ["p1", "p2"]
    assert t.started_between(4100, 9000) == []
