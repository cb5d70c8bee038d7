from django.contrib import admin

from meetings.models import (
    ChatMessage,
    Meeting,
    MeetingEvent,
    Participant,
    ParticipantEvent,
    Recording,
    TranscriptSegment,
)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ("name", "external_id", "is_host", "joined_at", "left_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "platform", "source", "organization", "started_at", "ended_at", "event_seq")
    list_filter = ("platform", "source", "organization")
    search_fields = ("id", "title", "meeting_url", "organization__name")
    date_hierarchy = "created_at"
    inlines = [ParticipantInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("name", "meeting", "is_host", "joined_at", "left_at")
    search_fields = ("name", "meeting__id", "external_id")
    list_filter = ("is_host",)


@admin.register(ParticipantEvent)
class ParticipantEventAdmin(admin.ModelAdmin):
    list_display = ("participant", "kind", "occurred_at", "offset_ms", "meeting")
    list_filter = ("kind",)
    search_fields = ("participant__name", "meeting__id")


@admin.register(TranscriptSegment)
class TranscriptSegmentAdmin(admin.ModelAdmin):
    list_display = ("meeting", "speaker", "start_ms", "end_ms", "text", "language", "revision")
    list_filter = ("language", "backend")
    search_fields = ("text", "speaker", "meeting__id")


@admin.register(Recording)
class RecordingAdmin(admin.ModelAdmin):
    list_display = ("id", "meeting", "kind", "format", "source", "speaker", "duration_ms", "size_bytes", "created_at")
    list_filter = ("kind", "format", "source")
    search_fields = ("id", "meeting__id")


@admin.register(MeetingEvent)
class MeetingEventAdmin(admin.ModelAdmin):
    list_display = ("meeting", "organization", "sequence", "type", "bot_id", "created_at")
    list_filter = ("type",)
    search_fields = ("meeting__id", "organization__id", "bot_id", "id")
    ordering = ("-created_at",)


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    list_display = ("meeting", "sender", "from_bot", "text", "sent_at")
    list_filter = ("from_bot",)
    search_fields = ("text", "sender", "meeting__id")
    ordering = ("-sent_at",)
