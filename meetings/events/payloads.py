"""The payload (`data`) of every event type, as typed dicts: field names, types, required or not.

Every field a publisher always sends is required, with `| None` where it may be null; fields that
only some events of a type carry are `NotRequired`. Nothing else may appear in a payload.
"""

from typing import NotRequired, TypedDict

# --- meeting events -----------------------------------------------------------------------------


class BotStatusChanged(TypedDict):
    bot_id: str
    old_status: str
    new_status: str
    status: str  # the same as new_status
    end_reason: str | None
    end_fault: str | None  # whose side an ending was on: host, platform or notula
    recording_state: str
    message: str | None
    data: NotRequired[dict]  # what the transition carried, when it carried anything


class BotSpeechStarted(TypedDict):
    bot_id: str
    speech_id: str
    text: str | None  # null for an audio file
    duration_ms: int


class BotSpeechFinished(TypedDict):
    bot_id: str
    speech_id: str
    text: str | None
    stopped: bool  # stopped before the end (a DELETE, or the bot left)
    played_ms: int


class ParticipantPresence(TypedDict):
    participant_id: str
    name: str
    external_id: str
    is_host: bool
    at: str
    offset_ms: int


class SpeakerChanged(TypedDict):
    participant_id: str
    name: str
    speaking: bool
    at: str
    offset_ms: int


class ChatMessage(TypedDict):
    message_id: str
    bot_id: str
    participant_id: str | None
    sender: str
    from_bot: bool
    to: str | None
    to_participant_id: str | None
    text: str
    at: str
    offset_ms: int


class CaptionPartial(TypedDict):
    utterance_id: str
    speaker: str | None
    participant_id: str | None
    text: str
    start_ms: int
    end_ms: int
    language: str | None
    is_final: bool


class Word(TypedDict):
    word: str
    start_ms: int
    end_ms: int
    probability: float | None


class SegmentFinalized(TypedDict):
    id: str
    speaker: str | None
    participant_id: str | None
    text: str
    start_ms: int
    end_ms: int
    started_at: str | None
    language: str | None
    confidence: float | None
    words: list[Word]
    utterance_id: str | None
    revision: int


class TalkShare(TypedDict):
    speaker: str
    participant_id: str | None
    talk_ms: int
    share: float


class CoachInsight(TypedDict):
    category: str  # monologue, unanswered_question, long_silence, talk_time
    message: str
    speaker: NotRequired[str | None]
    participant_id: NotRequired[str | None]
    start_ms: NotRequired[int]
    duration_ms: NotRequired[int]
    question: NotRequired[str]
    asked_at_ms: NotRequired[int]
    speakers: NotRequired[list[TalkShare]]


class RecordingReady(TypedDict):
    recording_id: str
    kind: str
    format: str
    source: str  # mixed (the whole call) or participant (one participant's track alone)
    participant_id: str | None
    speaker: str | None
    duration_ms: int
    size_bytes: int
    url: str


class TranscriptReady(TypedDict):
    revision: int
    segments: int
    language: str | None
    backend: str | None
    model: str | None
    formats: list[str]
    transcript_url: str
    summary: str
    keywords: list[str]


class TranscriptFailed(TypedDict):
    revision: int
    source: str  # file (an import) or bot (a re-transcription of a call's recording)
    reason: str


class DocumentSaved(TypedDict):
    kind: str
    format: str
    path: str
    url: str
    revision: int
    segments: int  # transcript segments the document holds


# --- organization events ------------------------------------------------------------------------


class BotCreated(TypedDict):
    bot_id: str
    meeting_id: str
    meeting_url: str
    platform: str
    bot_name: str
    status: str
    join_at: str | None
    project: str
    metadata: dict


class WebhookEndpointDisabled(TypedDict):
    endpoint_id: str
    url: str
    meeting_id: str | None
    failing_since: str
    disabled_reason: str


class CalendarSyncEvents(TypedDict):
    calendar_id: str
    provider: str
    events: int
    event_ids: list[str]
    bots_scheduled: int
    bots_moved: int
    bots_cancelled: int


class CalendarUpdated(TypedDict):
    calendar_id: str
    provider: str
    name: str
    state: str
    state_reason: str
    changed: list[str]


class CalendarDisconnected(TypedDict):
    calendar_id: str
    provider: str
    name: str
    reason: str


class DataDeleted(TypedDict):
    object: str  # bot or meeting: what the deletion was asked for
    object_id: str
    meeting_id: str
    bot_ids: list[str]
    reason: str  # request or retention
    status: str  # deleted or partially_deleted
    parts: list[str]  # the kinds of data that went
    failed: list[str]  # the kinds that could not go (partially_deleted)
    deletion_id: str  # the audit stub
