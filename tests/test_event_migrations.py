"""Logged events and stored subscriptions take the new type names when the migrations run."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from meetings.models import MeetingEvent
from webhooks.models import WebhookEndpoint

BEFORE = [("meetings", "0004_organization_events"), ("webhooks", "0003_fewer_indexes")]


@pytest.mark.django_db(transaction=True)
def test_old_type_names_are_renamed_in_the_log_and_in_subscriptions():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organization = old.get_model("accounts", "Organization").objects.create(id="org_m", name="Migrated")
    project = old.get_model("accounts", "Project").objects.create(id="prj_m", organization=organization, name="api")
    meeting = old.get_model("meetings", "Meeting").objects.create(
        id="mtg_m", organization=organization, project=project, event_seq=3
    )
    Event = old.get_model("meetings", "MeetingEvent")
    for sequence, type in enumerate(["bot.status_changed", "segment_finalized", "caption_partial"], start=1):
        Event.objects.create(id=f"evt_{sequence}", meeting=meeting, sequence=sequence, type=type, payload={})
    Endpoint = old.get_model("webhooks", "WebhookEndpoint")
    subscribed = ["participant_joined", "participant.joined", "bot.status_changed", "chat_message"]
    Endpoint.objects.create(id="whe_a", organization=organization, url="https://h.example/a", event_types=subscribed)
    Endpoint.objects.create(id="whe_b", organization=organization, url="https://h.example/b", event_types=[])

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    types = list(MeetingEvent.objects.filter(meeting_id="mtg_m").order_by("sequence").values_list("type", flat=True))
    assert types == ["bot.status_changed", "segment.finalized", "caption.partial"]
    assert WebhookEndpoint.objects.get(pk="whe_a").event_types == [
        "participant.joined",
        "bot.status_changed",
        "chat.message",  # an event type since webhooks 0005
    ]
    assert WebhookEndpoint.objects.get(pk="whe_b").event_types == []
