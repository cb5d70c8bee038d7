"""A partial caption's text: a decoder that read the same words again shows them once."""

import pytest

from meetings.transcription.live.utterance import unrepeated


@pytest.mark.parametrize(
    ("heard", "shown"),
    [
        ("Sun Sun Sun", "Sun"),
        ("The box. The box, the box", "The box."),
        ("before we move on before we", "before we move on"),
        ("we can, we can", "we can"),
    ],
)
def test_a_run_read_again_is_shown_once(heard, shown):
    assert unrepeated(heard) == shown


@pytest.mark.parametrize(
    "heard",
    ["that that", "very very good", "We can start next week.", "a b a", "who is giving much, who is given much", ""],
)
def test_ordinary_text_is_left_alone(heard):
    assert unrepeated(heard) == heard
