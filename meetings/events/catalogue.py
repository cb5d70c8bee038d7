"""The event catalogue: every event type Notula publishes, with its payload schema, a description and
an example. `publish` checks payloads against it, and docs/events.md and the OpenAPI schema's
`webhooks` section are held to it by tests.

Names are `<noun>.<what happened>`: lowercase, the thing first, then a past participle or the state
it reached (`participant.joined`, `segment.finalized`, `transcript.ready`), snake_case inside a part.
The names used before this convention stay accepted as aliases in webhook subscriptions (`ALIASES`).
"""

from dataclasses import dataclass
from typing import Literal

from meetings.events import payloads as p


class EventType:
    # Meeting events: in a meeting's log, with the meeting's sequence.
    BOT_STATUS_CHANGED = "bot.status_changed"
    PARTICIPANT_JOINED = "participant.joined"
    PARTICIPANT_LEFT = "participant.left"
    SPEAKER_CHANGED = "speaker.changed"
    CHAT_MESSAGE = "chat.message"
    CAPTION_PARTIAL = "caption.partial"
    SEGMENT_FINALIZED = "segment.finalized"
    COACH_INSIGHT = "coach.insight"
    RECORDING_READY = "recording.ready"
    TRANSCRIPT_READY = "transcript.ready"
    TRANSCRIPT_FAILED = "transcript.failed"
    DOCUMENT_SAVED = "document.saved"
    BOT_SPEECH_STARTED = "bot.speech_started"
    BOT_SPEECH_FINISHED = "bot.speech_finished"
    # Organization events: in the organization's own log, with the organization's sequence.
    BOT_CREATED = "bot.created"
    WEBHOOK_ENDPOINT_DISABLED = "webhook.endpoint_disabled"
    CALENDAR_SYNC_EVENTS = "calendar.sync_events"
    CALENDAR_UPDATED = "calendar.updated"
    CALENDAR_DISCONNECTED = "calendar.disconnected"
    DATA_DELETED = "data.deleted"

    ALL: tuple[str, ...] = ()  # filled below, in catalogue order


@dataclass(frozen=True)
class EventSpec:
    type: str
    scope: Literal["meeting", "organization"]
    payload: type  # a TypedDict from meetings.events.payloads
    description: str
    example: dict
    # False: listed so that integrators can subscribe ahead, but nothing publishes it yet.
    published: bool = True
    # The name this type had before the `<noun>.<what happened>` convention; accepted in subscriptions.
    alias: str | None = None


_AT = "2026-11-21T14:02:11.500Z"
_PARTICIPANT = {
    "participant_id": "prt_4Hk2sV8nQ1mX0cL7pR3tZa",
    "name": "Alice Smith",
    "external_id": "alice@example.com",
    "is_host": True,
    "at": _AT,
    "offset_ms": 65500,
}
_MEETING = "mtg_6Qm0aPzL2kX8cV1bN5eR3t"
_BOT = "bot_9Jd3kL0pQ2wE5rT8yU1iO4"
_MEDIA = "https://notula.example.com/media"

CATALOGUE: dict[str, EventSpec] = {
    spec.type: spec
    for spec in (
        EventSpec(
            EventType.BOT_STATUS_CHANGED,
            "meeting",
            p.BotStatusChanged,
            "The bot moved in its lifecycle: scheduled -> queued -> joining -> waiting_room -> in_call -> "
            "leaving -> post_processing -> ended, or failed from anywhere. `leaving` and the terminal states "
            "carry an `end_reason`, an `end_fault` (`host`, `platform` or `notula`: whose side it was) and a "
            "sentence in `message`.",
            {
                "bot_id": _BOT,
                "old_status": "in_call",
                "new_status": "leaving",
                "status": "leaving",
                "end_reason": "everyone_left",
                "end_fault": "host",
                "recording_state": "recording",
                "message": "Everyone else left the meeting, so the bot left too.",
            },
        ),
        EventSpec(
            EventType.PARTICIPANT_JOINED,
            "meeting",
            p.ParticipantPresence,
            "Someone appeared in the meeting's roster (or came back).",
            _PARTICIPANT,
            alias="participant_joined",
        ),
        EventSpec(
            EventType.PARTICIPANT_LEFT,
            "meeting",
            p.ParticipantPresence,
            "Someone left the meeting's roster.",
            dict(_PARTICIPANT, at="2026-11-21T14:31:40.000Z", offset_ms=1834000),
            alias="participant_left",
        ),
        EventSpec(
            EventType.SPEAKER_CHANGED,
            "meeting",
            p.SpeakerChanged,
            "A speaking indicator went on or off; several people may speak at once.",
            {key: _PARTICIPANT[key] for key in ("participant_id", "name", "offset_ms")}
            | {"speaking": True, "at": "2026-11-21T14:02:15.000Z"},
            alias="speaker_changed",
        ),
        EventSpec(
            EventType.CHAT_MESSAGE,
            "meeting",
            p.ChatMessage,
            "A message appeared in the meeting's chat, from a participant or from the bot itself "
            "(`from_bot`); `participant_id` is null when the sender is no one in the roster. A private message "
            "(Zoom and Webex) names its recipient in `to`, as the chat showed it: a participant's name, or the "
            "bot's name for a message written to the bot only; `to_participant_id` is that recipient in the "
            "roster (null for the bot, or when none matches). Both are null for a message to everyone.",
            {
                "message_id": "msg_2Vb7nQ4kL9sX1cM8pR0tZe",
                "bot_id": _BOT,
                "participant_id": _PARTICIPANT["participant_id"],
                "sender": "Alice Smith",
                "from_bot": False,
                "to": None,
                "to_participant_id": None,
                "text": "Can you send the slides after the call?",
                "at": "2026-11-21T14:05:02.000Z",
                "offset_ms": 196000,
            },
            alias="chat_message",
        ),
        EventSpec(
            EventType.CAPTION_PARTIAL,
            "meeting",
            p.CaptionPartial,
            "The growing caption of the utterance being spoken, about once a second while someone talks; "
            "superseded by `segment.finalized` with the same `utterance_id`.",
            {
                "utterance_id": "utt_7",
                "speaker": "Alice Smith",
                "participant_id": _PARTICIPANT["participant_id"],
                "text": "So about the roadmap for",
                "start_ms": 69000,
                "end_ms": 70400,
                "language": "en",
                "is_final": False,
            },
            alias="caption_partial",
        ),
        EventSpec(
            EventType.SEGMENT_FINALIZED,
            "meeting",
            p.SegmentFinalized,
            "A finished stretch of speech, as stored in the transcript (`revision` 1 is the live one).",
            {
                "id": "seg_1Xc9vB2nM3qW4eR5tY6uI7",
                "speaker": "Alice Smith",
                "participant_id": _PARTICIPANT["participant_id"],
                "text": "So about the roadmap.",
                "start_ms": 69000,
                "end_ms": 71800,
                "started_at": "2026-11-21T14:02:15.000Z",
                "language": "en",
                "confidence": 0.91,
                "words": [
                    {"word": "So", "start_ms": 69000, "end_ms": 69300, "probability": 0.98},
                    {"word": "about", "start_ms": 69300, "end_ms": 69800, "probability": 0.95},
                    {"word": "the", "start_ms": 69800, "end_ms": 70000, "probability": 0.99},
                    {"word": "roadmap.", "start_ms": 70000, "end_ms": 71800, "probability": 0.87},
                ],
                "utterance_id": "utt_7",
                "revision": 1,
            },
            alias="segment_finalized",
        ),
        EventSpec(
            EventType.COACH_INSIGHT,
            "meeting",
            p.CoachInsight,
            "A remark on how the meeting goes. `category`: `monologue` (speaker, start_ms, duration_ms), "
            "`unanswered_question` (speaker, question, asked_at_ms), `long_silence` (start_ms, duration_ms) "
            "or `talk_time` (speakers: each one's share so far).",
            {
                "category": "monologue",
                "message": "Alice Smith has been speaking for 95 s.",
                "speaker": "Alice Smith",
                "participant_id": _PARTICIPANT["participant_id"],
                "start_ms": 60000,
                "duration_ms": 95000,
            },
            alias="coach_insight",
        ),
        EventSpec(
            EventType.RECORDING_READY,
            "meeting",
            p.RecordingReady,
            "A recording file of the meeting is ready to download.",
            {
                "recording_id": "rec_3Fg7hJ1kL5zX9cV2bN6mQ8",
                "kind": "audio",
                "format": "mp3",
                "source": "mixed",
                "participant_id": None,
                "speaker": None,
                "duration_ms": 1843000,
                "size_bytes": 14744000,
                "url": f"{_MEDIA}/recordings/{_MEETING}/audio.mp3",
            },
            alias="recording_ready",
        ),
        EventSpec(
            EventType.TRANSCRIPT_READY,
            "meeting",
            p.TranscriptReady,
            "The transcript of a call, an imported file or a re-transcription is complete, with its summary.",
            {
                "revision": 1,
                "segments": 212,
                "language": "en",
                "backend": "faster-whisper",
                "model": "tiny.en",
                "formats": ["json", "txt", "srt", "vtt", "md"],
                "transcript_url": f"https://notula.example.com/api/v1/meetings/{_MEETING}/transcript",
                "summary": "The team agreed on the Q2 roadmap.",
                "keywords": ["roadmap", "Q2"],
            },
            alias="transcript_ready",
        ),
        EventSpec(
            EventType.TRANSCRIPT_FAILED,
            "meeting",
            p.TranscriptFailed,
            "An imported file or a re-transcription could not be transcribed; `reason` says what went wrong "
            "and what to do, as the meeting's `failure_reason` does.",
            {
                "revision": 1,
                "source": "file",
                "reason": "file_url answered HTTP 404: check that the link still works and is public.",
            },
        ),
        EventSpec(
            EventType.DOCUMENT_SAVED,
            "meeting",
            p.DocumentSaved,
            "The meeting's Markdown document (summary, notes, keywords, transcript) was written.",
            {
                "kind": "transcript",
                "format": "md",
                "path": f"documents/prj_api/{_MEETING}.md",
                "url": f"{_MEDIA}/documents/prj_api/{_MEETING}.md",
                "revision": 1,
                "segments": 42,
            },
            alias="document_saved",
        ),
        EventSpec(
            EventType.BOT_SPEECH_STARTED,
            "meeting",
            p.BotSpeechStarted,
            "The bot began to say something asked with `POST /api/v1/bots/{id}/speak` (its microphone is on); "
            "`text` is null for an audio file.",
            {"bot_id": _BOT, "speech_id": "spk_4f1c9a0b2e7d6c35", "text": "Hello from Notula", "duration_ms": 1420},
        ),
        EventSpec(
            EventType.BOT_SPEECH_FINISHED,
            "meeting",
            p.BotSpeechFinished,
            "The bot finished saying it, or was stopped (`DELETE /api/v1/bots/{id}/speak`, or the bot left): "
            "`stopped` true; `played_ms` is how long it spoke.",
            {
                "bot_id": _BOT,
                "speech_id": "spk_4f1c9a0b2e7d6c35",
                "text": "Hello from Notula",
                "stopped": False,
                "played_ms": 1510,
            },
        ),  # fmt: skip
        EventSpec(
            EventType.BOT_CREATED,
            "organization",
            p.BotCreated,
            "A bot was created (by the API, the dashboard or a calendar); its meeting's events follow in "
            "that meeting's log.",
            {
                "bot_id": _BOT,
                "meeting_id": _MEETING,
                "meeting_url": "https://meet.google.com/abc-defg-hij",
                "platform": "google_meet",
                "bot_name": "Notula",
                "status": "queued",
                "join_at": None,
                "project": "api",
                "metadata": {"deal": "42"},
            },
        ),
        EventSpec(
            EventType.WEBHOOK_ENDPOINT_DISABLED,
            "organization",
            p.WebhookEndpointDisabled,
            "A webhook endpoint failed for too long and was turned off; its pending deliveries wait until "
            "it is turned back on. Sent to the organization's other endpoints.",
            {
                "endpoint_id": "whe_8Kd2mN4bV6cX1zL3qW5eR7",
                "url": "https://hooks.example.com/notula",
                "meeting_id": None,
                "failing_since": "2026-11-18T09:00:00.000000Z",
                "disabled_reason": "Disabled automatically on 2026-11-21 09:00 UTC: failing since "
                "2026-11-18 09:00 UTC; last error: HTTP 503",
            },
        ),
        EventSpec(
            EventType.CALENDAR_SYNC_EVENTS,
            "organization",
            p.CalendarSyncEvents,
            "A calendar's meetings changed (new, moved, cancelled or deleted): `event_ids` are the calendar "
            "events affected (GET /api/v1/calendar-events/{id}), with the bots that this scheduled, moved or "
            "cancelled. Not sent when a sync found nothing new.",
            {
                "calendar_id": "cal_5Tg8hY2jU4kI6oL1pZ3xC9",
                "provider": "google",
                "events": 2,
                "event_ids": ["cev_2Wq8eR4tY6uI1oP3aS5dF7", "cev_9Lk7jH5gF3dS1aP2oI4uY6"],
                "bots_scheduled": 1,
                "bots_moved": 1,
                "bots_cancelled": 0,
            },
        ),
        EventSpec(
            EventType.CALENDAR_UPDATED,
            "organization",
            p.CalendarUpdated,
            "A calendar was connected, its rules changed, or its state changed (`connected`, `error` with "
            "the reason); `changed` names what changed.",
            {
                "calendar_id": "cal_5Tg8hY2jU4kI6oL1pZ3xC9",
                "provider": "ics",
                "name": "Team calendar",
                "state": "connected",
                "state_reason": "",
                "changed": ["only_accepted"],
            },
        ),
        EventSpec(
            EventType.CALENDAR_DISCONNECTED,
            "organization",
            p.CalendarDisconnected,
            "The provider no longer accepts a calendar's grant (revoked, expired) or its ICS URL was "
            "withdrawn: it is not read and sends no bots until it is connected again.",
            {
                "calendar_id": "cal_5Tg8hY2jU4kI6oL1pZ3xC9",
                "provider": "microsoft",
                "name": "ada@example.com",
                "reason": "Microsoft refused the refresh token (invalid_grant): connect the calendar again.",
            },
        ),
        EventSpec(
            EventType.DATA_DELETED,
            "organization",
            p.DataDeleted,
            "A meeting's media files and personal data were deleted for good, on request (`POST "
            ".../delete_data`, `reason` `request`) or past their retention (`reason` `retention`); `parts` says "
            "what went, `failed` what could not (`status` `partially_deleted`), `deletion_id` names the audit stub.",
            {
                "object": "bot",
                "object_id": _BOT,
                "meeting_id": _MEETING,
                "bot_ids": [_BOT],
                "reason": "retention",
                "status": "deleted",
                "parts": ["events", "participants", "recordings", "transcript"],
                "failed": [],
                "deletion_id": "del_2Wq8eR4tY6uI1oP3aS5dF7",
            },
            alias="data_deleted",
        ),
    )
}

EventType.ALL = tuple(CATALOGUE)
MEETING_TYPES = frozenset(t for t, spec in CATALOGUE.items() if spec.scope == "meeting")
ORGANIZATION_TYPES = frozenset(t for t, spec in CATALOGUE.items() if spec.scope == "organization")
# Old name -> current name, accepted (for one release) where endpoints subscribe.
ALIASES: dict[str, str] = {spec.alias: t for t, spec in CATALOGUE.items() if spec.alias}


def canonical_type(name: str) -> str:
    """The current name of an event type given by its current name or an alias (others unchanged)."""
    return ALIASES.get(name, name)
