"""Meemo's topics choose a meeting's language; Notula's are the languages it names
(meetings/transcription/languages.py), numbered from 1 in that order (a stable id)."""

from common.errors import ValidationError
from meetings.transcription.languages import NAMES

TOPICS = [
    {"id": number, "name": name.capitalize(), "alias": code, "language": code}
    for number, (name, code) in enumerate(NAMES.items(), start=1)
]


def topic_language(topic_id: int) -> str:
    if not 1 <= topic_id <= len(TOPICS):
        raise ValidationError(f"No topic {topic_id}.", fields={"topic_id": [f"one of 1-{len(TOPICS)}"]})
    return TOPICS[topic_id - 1]["language"]
