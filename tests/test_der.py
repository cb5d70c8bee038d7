"""The diarization error rate the speaker tests and benchmark are measured with."""

import pytest

from meetings.transcription.der import diarization_error_rate, read_rttm

REFERENCE = [("a", 0.0, 10.0), ("b", 10.0, 20.0)]


def test_names_do_not_matter_only_the_mapping():
    result = diarization_error_rate(REFERENCE, [("Speaker 2", 0.0, 10.0), ("Speaker 1", 10.0, 20.0)], collar=0)
    assert result.der == 0 and result.reference_s == pytest.approx(20.0)


def test_missed_false_alarm_and_confusion_are_counted_apart():
    hypothesis = [("x", 0.0, 5.0), ("x", 10.0, 15.0), ("y", 15.0, 20.0), ("y", 20.0, 22.0)]
    result = diarization_error_rate(REFERENCE, hypothesis, collar=0)
    # 0-5 right (x=a); 5-10 missed; 10-15 x for b: confusion (x is a's); 15-20 y=b right; 20-22 false alarm.
    assert result.missed == pytest.approx(5 / 20)
    assert result.confusion == pytest.approx(5 / 20)
    assert result.false_alarm == pytest.approx(2 / 20)
    assert result.der == pytest.approx(12 / 20)


def test_the_collar_leaves_boundaries_unscored_and_overlap_counts_per_speaker():
    hypothesis = [("x", 0.0, 10.2), ("y", 10.2, 20.0)]  # the change 0.2 s late
    assert diarization_error_rate(REFERENCE, hypothesis, collar=0).der == pytest.approx(0.2 / 20)
    assert diarization_error_rate(REFERENCE, hypothesis, collar=0.25).der == 0
    overlapping = [("a", 0.0, 10.0), ("b", 5.0, 10.0)]
    result = diarization_error_rate(overlapping, [("x", 0.0, 10.0)], collar=0)
    assert result.reference_s == pytest.approx(15.0) and result.missed == pytest.approx(5 / 15)


def test_rttm_speaker_lines():
    text = "SPEAKER call 1 6.690 0.430 <NA> <NA> speaker90 <NA> <NA>\nSPKR-INFO ignored\n"
    assert read_rttm(text) == [("speaker90", 6.69, pytest.approx(7.12))]
