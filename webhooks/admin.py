from django.contrib import admin, messages

from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "organization", "format", "active", "disabled_reason", "failing_since", "created_at")
    list_filter = ("active", "format", "organization")
    search_fields = ("url", "organization__name", "id")


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    fields = ("created_at", "status_code", "latency_ms", "error", "response_excerpt")
    readonly_fields = fields
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "endpoint", "event", "status", "attempts", "last_status_code", "delivered_at", "created_at")
    list_filter = ("status", "endpoint__format")
    search_fields = ("id", "endpoint__url", "event__meeting__id")
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]

    @admin.action(description="Redeliver selected webhooks")
    def redeliver(self, request, queryset):
        from webhooks.services import delivery_redeliver

        for delivery in queryset:
            delivery_redeliver(delivery=delivery)
        self.message_user(request, f"Queued {queryset.count()} delivery(ies) again.", messages.SUCCESS)


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin):
    list_display = ("delivery", "status_code", "latency_ms", "error", "created_at")
    list_filter = ("status_code",)
    search_fields = ("delivery__id", "delivery__endpoint__url", "error")
    date_hierarchy = "created_at"
