import copy

import factory

from accounts.models import Organization, Project
from bots.models import Bot, BotStatus
from meetings.events import CATALOGUE, EventType
from meetings.models import Meeting, MeetingEvent, Participant, TranscriptSegment


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Org {n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("organization", "name")

    organization = factory.SubFactory(OrganizationFactory)
    name = "api"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    organization = factory.SubFactory(OrganizationFactory)
    project = factory.LazyAttribute(lambda o: ProjectFactory(organization=o.organization))
    meeting_url = factory.Sequence(lambda n: f"https://meet.google.com/abc-defg-{n % 1000:03d}")
    platform = "google_meet"


class BotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bot

    meeting = factory.SubFactory(MeetingFactory)
    organization = factory.LazyAttribute(lambda o: o.meeting.organization)
    project = factory.LazyAttribute(lambda o: o.meeting.project)
    meeting_url = factory.LazyAttribute(lambda o: o.meeting.meeting_url)
    platform = factory.LazyAttribute(lambda o: o.meeting.platform)
    bot_name = "Notula"
    status = BotStatus.QUEUED
    settings = factory.LazyFunction(lambda: __import__("bots.services").services.bot_settings_merge(None, {}))


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    external_id = factory.LazyAttribute(lambda o: o.name)


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TranscriptSegment

    meeting = factory.SubFactory(MeetingFactory)
    speaker = "Alice Smith"
    text = "Good morning everyone."
    start_ms = factory.Sequence(lambda n: n * 5000)
    end_ms = factory.LazyAttribute(lambda o: o.start_ms + 2000)


class MeetingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingEvent

    meeting = factory.SubFactory(MeetingFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    type = EventType.PARTICIPANT_JOINED
    payload = factory.LazyAttribute(lambda o: event_data(o.type))


def event_data(type: str, **fields) -> dict:
    """A payload of `type` that matches the event catalogue: its example, with `fields` changed."""
    data = copy.deepcopy(CATALOGUE[type].example)
    data.update(fields)
    return data
