from django.contrib import admin, messages

from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "organization", "format", "active", "disabled_reason", "failing_since", "created_at")
    list_filter = ("active", "format", "organization")
    search_fields = ("url", "organization__name", "id")
    readonly_fields = ("disabled_reason", "failing_since")
    actions = ["send_test", "enable"]

    @admin.action(description="Send a test event")
    def send_test(self, request, queryset):
        from webhooks.services import endpoint_send_test

        for endpoint in queryset:
            result = endpoint_send_test(endpoint=endpoint)
            level = messages.SUCCESS if result["delivered"] else messages.ERROR
            outcome = f"HTTP {result['status_code']}" if result["status_code"] else result["error"]
            self.message_user(request, f"{endpoint.url}: {outcome} in {result['latency_ms']} ms", level)

    @admin.action(description="Enable (clears the disable reason, resumes pending deliveries)")
    def enable(self, request, queryset):
        from webhooks.services import endpoint_update

        for endpoint in queryset:
            endpoint_update(endpoint=endpoint, active=True)
        self.message_user(request, f"Enabled {queryset.count()} endpoint(s).", messages.SUCCESS)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    fields = ("created_at", "status_code", "latency_ms", "error", "response_excerpt")
    readonly_fields = fields
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "endpoint", "event", "status", "attempts", "last_status_code", "delivered_at", "created_at")
    readonly_fields = ("endpoint", "event", "created_at", "delivered_at", "next_attempt_at", "retry_until")
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
