from django.contrib import admin

from simulator.models import SimMeeting


@admin.register(SimMeeting)
class SimMeetingAdmin(admin.ModelAdmin):
    list_display = ("id", "platform", "organization", "status", "bot_state", "bot_name", "created_at")
    list_filter = ("platform", "status", "bot_state")
    search_fields = ("id", "bot_name", "organization__name")
    readonly_fields = ("created_at", "opened_at", "knocked_at", "admitted_at", "bot_left_at", "ended_at")
