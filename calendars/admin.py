from django.contrib import admin

from calendars.models import Calendar, CalendarEvent


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "provider", "state", "organization", "last_synced_at")
    list_filter = ("provider", "state", "organization")
    search_fields = ("id", "name", "email", "organization__name")
    # The credentials (a refresh token, an ICS secret address) stay out of sight.
    exclude = ("credentials_encrypted", "push_token")
    readonly_fields = ("sync_token", "etag", "last_modified", "push_channel_id", "push_resource_id", "push_expires_at")


@admin.register(CalendarEvent)
class CalendarEventAdmin(admin.ModelAdmin):
    list_display = ("title", "start", "calendar", "meeting_url", "bot", "is_deleted")
    list_filter = ("is_deleted", "calendar__provider")
    search_fields = ("id", "title", "provider_event_id", "organizer_email", "calendar__name")
    raw_id_fields = ("calendar", "bot")
