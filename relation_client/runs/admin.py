"""Background runs, read-only: support sees what ran, when, and why it failed."""

from django.contrib import admin

from relation_client.runs.models import BackgroundRun


@admin.register(BackgroundRun)
class BackgroundRunAdmin(admin.ModelAdmin):
    list_display = ["kind", "created_at", "status", "progress", "rows", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
