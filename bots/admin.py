from django.contrib import admin, messages

from bots.models import Bot, BotEvent
from bots.services import bot_request_leave
from common.errors import NotulaError


class BotEventInline(admin.TabularInline):
    model = BotEvent
    extra = 0
    fields = ("created_at", "event", "old_status", "new_status", "end_reason", "data")
    readonly_fields = fields
    can_delete = False


@admin.register(Bot)
class BotAdmin(admin.ModelAdmin):
    list_display = ("id", "bot_name", "platform", "status", "end_reason", "organization", "created_at", "joined_at")
    list_filter = ("status", "platform", "end_reason", "organization")
    search_fields = ("id", "bot_name", "meeting_url", "meeting__id", "deduplication_key")
    date_hierarchy = "created_at"
    readonly_fields = ("status", "end_reason", "heartbeat_at", "worker", "joined_at", "ended_at")
    inlines = [BotEventInline]
    actions = ["ask_to_leave"]

    @admin.action(description="Ask selected bots to leave")
    def ask_to_leave(self, request, queryset):
        asked = 0
        for bot in queryset:
            try:
                bot_request_leave(bot=bot)
                asked += 1
            except NotulaError as exc:
                self.message_user(request, f"{bot.id}: {exc.message}", messages.WARNING)
        self.message_user(request, f"Asked {asked} bot(s) to leave.", messages.SUCCESS)


@admin.register(BotEvent)
class BotEventAdmin(admin.ModelAdmin):
    list_display = ("bot", "event", "old_status", "new_status", "end_reason", "created_at")
    list_filter = ("event", "new_status", "end_reason")
    search_fields = ("bot__id",)
