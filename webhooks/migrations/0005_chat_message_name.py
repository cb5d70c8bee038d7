# `chat_message` became an event type (`chat.message`): subscriptions stored under the old name, which
# matched nothing until now, receive it.

from django.db import migrations


def rename(apps, schema_editor, old, new):
    WebhookEndpoint = apps.get_model("webhooks", "WebhookEndpoint")
    # Filtered here, not in SQL: a JSON list's `contains` is not supported by SQLite (the embedded default).
    for endpoint in WebhookEndpoint.objects.exclude(event_types=[]):
        if old in endpoint.event_types:
            endpoint.event_types = list(dict.fromkeys(new if name == old else name for name in endpoint.event_types))
            endpoint.save(update_fields=["event_types"])


def forwards(apps, schema_editor):
    rename(apps, schema_editor, "chat_message", "chat.message")


def backwards(apps, schema_editor):
    rename(apps, schema_editor, "chat.message", "chat_message")


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0004_event_type_names"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
