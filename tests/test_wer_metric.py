"""The WER used by the tests and benchmarks: a number written in digits or in words is the same word."""

from meetings.transcription.metrics import normalize, wer


def test_numerals_and_ordinals_count_as_their_words():
    assert normalize("About 40 on the 1st floor, 21 on the 2nd.") == (
        "about forty on the first floor twenty one on the second".split()
    )
    assert wer("Let us meet again next Thursday at ten.", "let us meet again next thursday at 10") == 0


def test_a_wrong_word_still_counts():
    assert wer("About forty on the first floor", "About for the on the first floor") == 2 / 6
