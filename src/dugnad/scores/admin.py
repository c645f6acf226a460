"""Admin views of score runs (read-only: runs are created by the score service)."""

from __future__ import annotations

from django.contrib import admin

from dugnad.scores.models import ScoreRun


@admin.register(ScoreRun)
class ScoreRunAdmin(admin.ModelAdmin):
    """Score runs with method, parameters, data revision and counts; nothing is editable."""

    list_display = ("pk", "method", "method_version", "year", "status", "units", "indicators", "observations", "created_at")
    list_filter = ("method", "status")
    readonly_fields = [f.name for f in ScoreRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
