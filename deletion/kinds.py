"""The kinds of data Notula itself keeps for a meeting and its bots, each registered for deletion.
Media files go first; the rows that point at them after, so that a failure leaves them findable."""

from bots.models import Bot
from common.media_store import media_delete, media_delete_under
from deletion.registry import DeletionTarget, data_kind_register
from meetings.events import EventType
from meetings.models import ChatMessage, MeetingEvent, Participant, Recording, TranscriptSegment


def recordings_delete(target: DeletionTarget) -> int:
    """Audio and video recordings: each file, then its row, then anything left in the meeting's
    recording folder (parts a bot wrote while encoding)."""
    count = 0
    for recording in Recording.objects.filter(meeting=target.meeting):
        count += media_delete(recording.file.name)
        recording.delete()
    return count + media_delete_under(f"recordings/{target.meeting.id}")


def imports_delete(target: DeletionTarget) -> int:
    """The file an import uploaded or downloaded."""
    return media_delete_under(f"imports/{target.meeting.id}")


def documents_delete(target: DeletionTarget) -> int:
    """The meeting's Markdown document (summary, notes and transcript)."""
    meeting = target.meeting
    return media_delete(f"documents/{meeting.project_id}/{meeting.id}.md")


def bot_files_delete(target: DeletionTarget) -> int:
    """What a bot kept while it ran (the camera picture it showed)."""
    return sum(media_delete_under(f"bots/{bot.id}") for bot in target.bots)


def debug_files_delete(target: DeletionTarget) -> int:
    """The screenshot and page a failed bot left for debugging: they show the meeting and its people."""
    count = 0
    for bot in target.bots:
        count += sum(media_delete(getattr(bot, field).name) for field in ("debug_screenshot", "debug_html"))
        Bot.objects.filter(pk=bot.pk).update(debug_screenshot="", debug_html="")
    return count


def transcript_delete(target: DeletionTarget) -> int:
    """Every transcript segment of every revision."""
    deleted, _ = TranscriptSegment.objects.filter(meeting=target.meeting).delete()
    return deleted


def chat_delete(target: DeletionTarget) -> int:
    """The meeting's chat, as the bot read it: who wrote what."""
    deleted, _ = ChatMessage.objects.filter(meeting=target.meeting).delete()
    return deleted


def participants_delete(target: DeletionTarget) -> int:
    """The people: names, platform ids, join and leave times and the speaking timeline."""
    count = Participant.objects.filter(meeting=target.meeting).count()
    Participant.objects.filter(meeting=target.meeting).delete()
    return count


def meeting_texts_delete(target: DeletionTarget) -> int:
    """The title, summary, notes and keywords: they repeat what was said and who said it."""
    meeting = target.meeting
    fields = {"title": "", "summary": "", "notes": "", "keywords": []}
    changed = [name for name, empty in fields.items() if getattr(meeting, name) != empty]
    if changed:
        for name in changed:
            setattr(meeting, name, fields[name])
        meeting.save(update_fields=changed)
    return len(changed)


# The lifecycle of the bot says nothing of the meeting's people or words, and stays for the record.
_EVENTS_KEPT = (EventType.BOT_STATUS_CHANGED,)


def events_delete(target: DeletionTarget) -> int:
    """The meeting's event log (captions, segments, names, links) and its pending webhook deliveries."""
    deleted = MeetingEvent.objects.filter(meeting=target.meeting).exclude(type__in=_EVENTS_KEPT)
    count = deleted.count()
    deleted.delete()
    return count


for _name, _delete in (
    ("recordings", recordings_delete),
    ("imports", imports_delete),
    ("documents", documents_delete),
    ("bot_files", bot_files_delete),
    ("debug_files", debug_files_delete),
    ("transcript", transcript_delete),
    ("chat", chat_delete),
    ("participants", participants_delete),
    ("meeting_texts", meeting_texts_delete),
    ("events", events_delete),
):
    data_kind_register(_name, _delete)
