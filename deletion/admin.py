from django.contrib import admin

from deletion.models import DataDeletion, RetentionPolicy


@admin.register(DataDeletion)
class DataDeletionAdmin(admin.ModelAdmin):
    list_display = ("id", "organization", "object_type", "object_id", "reason", "outcome", "created_at")
    list_filter = ("reason", "outcome")
    search_fields = ("id", "object_id", "meeting_id")

    # The audit trail is written by deletions only.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("organization", "type", "hours", "updated_at")
