from django.contrib import admin, messages

from accounts.models import (
    ApiKey,
    BotAccount,
    IdempotencyRecord,
    Organization,
    Project,
    TranscriptionDefault,
    TranscriptionKey,
    ZoomConnection,
)
from accounts.services import api_key_revoke


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "id", "created_at")
    search_fields = ("name", "id")
    filter_horizontal = ("members",)
    inlines = [ProjectInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "id", "created_at")
    list_filter = ("organization",)
    search_fields = ("name", "id", "organization__name")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "organization", "created_at", "last_used_at", "revoked_at")
    list_filter = ("organization", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("prefix", "name", "organization__name")
    # The hash and the signing secret stay out of sight: both were shown once, to whoever created the key.
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash", "signing_secret")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # keys are shown once: create them with `manage.py createapikey` or the dashboard

    @admin.action(description="Revoke selected keys")
    def revoke(self, request, queryset):
        for api_key in queryset:
            api_key_revoke(api_key=api_key)
        self.message_user(request, f"Revoked {queryset.count()} key(s).", messages.SUCCESS)


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    """Support can see which retries were answered from a stored first answer; nothing here is edited."""

    list_display = ("key", "api_key", "status_code", "created_at")
    list_filter = ("status_code",)
    search_fields = ("key", "api_key__prefix")
    readonly_fields = ("api_key", "key", "fingerprint", "status_code", "content_type", "body", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BotAccount)
class BotAccountAdmin(admin.ModelAdmin):
    """Support sees who a bot signs in as and why it failed; never the password or the session."""

    list_display = ("email", "provider", "organization", "status", "last_used_at", "created_at")
    list_filter = ("provider", "status")
    search_fields = ("email", "organization__name")
    exclude = ("password_encrypted", "session_encrypted")
    readonly_fields = ("status", "status_message", "session_saved_at", "last_used_at", "created_at")


@admin.register(ZoomConnection)
class ZoomConnectionAdmin(admin.ModelAdmin):
    list_display = ("email", "zoom_user_id", "organization", "state", "access_expires_at", "updated_at")
    list_filter = ("state",)
    search_fields = ("email", "zoom_user_id", "organization__name")
    exclude = ("access_token_encrypted", "refresh_token_encrypted")
    readonly_fields = ("state", "failure_message", "access_expires_at", "scopes", "created_at", "updated_at")


@admin.register(TranscriptionKey)
class TranscriptionKeyAdmin(admin.ModelAdmin):
    """Support sees which organizations have a provider key; never the key."""

    list_display = ("provider", "organization", "updated_at")
    list_filter = ("provider",)
    search_fields = ("organization__name",)
    exclude = ("key_encrypted",)
    readonly_fields = ("updated_at",)


@admin.register(TranscriptionDefault)
class TranscriptionDefaultAdmin(admin.ModelAdmin):
    """Support sees which backend an organization's new bots get when they name none."""

    list_display = ("organization", "backend", "model", "language", "updated_at")
    list_filter = ("backend",)
    search_fields = ("organization__name",)
    readonly_fields = ("updated_at",)
