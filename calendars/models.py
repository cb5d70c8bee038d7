"""A connected calendar and the meetings read from it."""

from django.conf import settings
from django.db import models

from accounts.models import Organization
from common.ids import new_uuid_id


# Calendars' and events' ids also stand for a UUID (common/ids.py), as bots' do.
def new_calendar_id() -> str:
    return new_uuid_id("cal")


def new_calendar_event_id() -> str:
    return new_uuid_id("cev")


class Calendar(models.Model):
    """A calendar Notula reads: its credentials (a refresh token and the OAuth client, or an ICS URL)
    are encrypted (calendars/credentials.py) and never shown back. The rules say which of its meetings
    get a bot by themselves."""

    class Provider(models.TextChoices):
        GOOGLE = "google"
        MICROSOFT = "microsoft"
        ICS = "ics"

    class State(models.TextChoices):
        CONNECTED = "connected"
        DISCONNECTED = "disconnected"  # the grant was revoked or the URL withdrawn: connect it again
        ERROR = "error"  # the last sync failed for another reason; the next one tries again

    id = models.CharField(primary_key=True, max_length=32, default=new_calendar_id, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="calendars")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="calendars"
    )
    provider = models.CharField(max_length=20, choices=Provider.choices)
    name = models.CharField(max_length=200, blank=True)
    # The calendar's own address: its attendee entry tells whether "we" accepted a meeting.
    email = models.CharField(max_length=254, blank=True)
    # The provider's id of the calendar (Google's calendar id, "primary"); empty for ICS and Graph's default.
    provider_calendar_id = models.CharField(max_length=500, blank=True)
    credentials_encrypted = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.CONNECTED)
    state_reason = models.CharField(max_length=500, blank=True)
    # Rules: which meetings get a bot by themselves.
    auto_schedule = models.BooleanField(default=True)
    only_accepted = models.BooleanField(default=False)
    only_internal = models.BooleanField(default=False)
    internal_domains = models.JSONField(default=list, blank=True)
    skip_titles = models.JSONField(default=list, blank=True)
    bot_name = models.CharField(max_length=100, blank=True)
    # Where the provider left off: Google's nextSyncToken, Graph's deltaLink; ICS's ETag / Last-Modified.
    sync_token = models.TextField(blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # Push: Google's watch channel or Graph's subscription.
    push_channel_id = models.CharField(max_length=200, blank=True)
    push_resource_id = models.CharField(max_length=500, blank=True)
    push_token = models.CharField(max_length=200, blank=True)
    push_expires_at = models.DateTimeField(null=True, blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name or self.email or self.id} ({self.provider})"


class CalendarEvent(models.Model):
    """One meeting of a calendar: a single event or one occurrence of a series (its own provider id,
    with the series' id and the occurrence's original start)."""

    id = models.CharField(primary_key=True, max_length=32, default=new_calendar_event_id, editable=False)
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="events")
    provider_event_id = models.CharField(max_length=1024)
    series_id = models.CharField(max_length=1024, blank=True)
    original_start = models.DateTimeField(null=True, blank=True)
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    time_zone = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=1000, blank=True)
    organizer_email = models.CharField(max_length=254, blank=True)
    attendees = models.JSONField(default=list, blank=True)  # [{email, name, response}]
    self_response = models.CharField(max_length=20, blank=True)  # accepted|declined|tentative|needs_action|""
    meeting_url = models.CharField(max_length=2000, blank=True)
    is_deleted = models.BooleanField(default=False)
    # By hand: True sends a bot whatever the rules say, False sends none; None lets the rules decide.
    bot_wanted = models.BooleanField(null=True, blank=True)
    bot_settings = models.JSONField(default=dict, blank=True)
    bot = models.ForeignKey(
        "bots.Bot", null=True, blank=True, on_delete=models.SET_NULL, related_name="calendar_events"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["calendar", "provider_event_id"], name="calendar_event_unique_provider_id")
        ]
        indexes = [models.Index(fields=["calendar", "series_id"])]

    def __str__(self) -> str:
        return f"{self.title or self.provider_event_id} at {self.start:%Y-%m-%d %H:%M}"
