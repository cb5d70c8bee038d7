# Event types take their `<noun>.<what happened>` names; logged events are renamed in one pass.

from django.db import migrations
from django.db.models import Case, Value, When

RENAMED = {
    "participant_joined": "participant.joined",
    "participant_left": "participant.left",
    "speaker_changed": "speaker.changed",
    "caption_partial": "caption.partial",
    "segment_finalized": "segment.finalized",
    "coach_insight": "coach.insight",
    "recording_ready": "recording.ready",
    "transcript_ready": "transcript.ready",
    "document_saved": "document.saved",
}


def rename(apps, schema_editor, names):
    MeetingEvent = apps.get_model("meetings", "MeetingEvent")
    MeetingEvent.objects.filter(type__in=list(names)).update(
        type=Case(*(When(type=old, then=Value(new)) for old, new in names.items()))
    )


def forwards(apps, schema_editor):
    rename(apps, schema_editor, RENAMED)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0004_organization_events'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
