"""A Meemo create in Notula's words: a bot sent to `bot_meeting_url` (`bots.services.bot_create`) or a
file imported from `file_url` (`meetings.imports.meeting_import_create`). What Meemo answers back and
Notula has no field for (the calendar event's snapshot, the invited participants, the planned start
and the speaker count of a bot meeting) is kept in the bot's metadata under `meemo`."""

from accounts.models import ApiKey, Organization
from bots import services
from compat.meemo.topics import topic_language
from compat.times import iso_ms_z
from meetings.imports import meeting_import_create
from meetings.models import Meeting


def _snapshot(calendar_event: dict) -> dict:
    event = dict(calendar_event)
    for name in ("start_time", "end_time"):
        if event.get(name) is not None:
            event[name] = iso_ms_z(event[name])
    return event


def meeting_create_from(given: dict, *, organization: Organization, api_key: ApiKey) -> Meeting:
    language = topic_language(given["topic_id"]) if "topic_id" in given else None
    if "file_url" in given:
        return meeting_import_create(
            organization=organization,
            file_url=given["file_url"],
            title=given["title"],
            language=language,
            speaker_count=given.get("speaker_count"),
        )
    kept: dict = {}
    if "calendar_event" in given:
        kept["calendar_event"] = _snapshot(given["calendar_event"])
    if given.get("participants"):
        kept["participants"] = given["participants"]
    if "start_time" in given:
        kept["start_time"] = iso_ms_z(given["start_time"])
    if "speaker_count" in given:
        kept["speaker_count"] = given["speaker_count"]
    bot = services.bot_create(
        organization=organization,
        api_key=api_key,
        meeting_url=given["bot_meeting_url"],
        join_at=given.get("bot_join_at"),
        title=given["title"],
        transcription={"language": language} if language else None,
        metadata={"meemo": kept} if kept else None,
        dialect="meemo",
    )
    return bot.meeting
