# Subscriptions follow the event types' new names (the old names stay accepted as aliases in the API).

from django.db import migrations

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
    WebhookEndpoint = apps.get_model("webhooks", "WebhookEndpoint")
    for endpoint in WebhookEndpoint.objects.exclude(event_types=[]):
        renamed = list(dict.fromkeys(names.get(name, name) for name in endpoint.event_types))
        if renamed != endpoint.event_types:
            endpoint.event_types = renamed
            endpoint.save(update_fields=["event_types"])


def forwards(apps, schema_editor):
    rename(apps, schema_editor, RENAMED)


def backwards(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('webhooks', '0003_fewer_indexes'),
        ('meetings', '0005_event_type_names'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
