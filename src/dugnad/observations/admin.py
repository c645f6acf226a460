"""Admin for observations: read-only browsing of stored values and their revisions."""

from __future__ import annotations

from django.contrib import admin

from dugnad.observations.models import Observation


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    """Read-only list of observation revisions; values change only through imports (which keep history)."""

    list_display = ("unit", "indicator", "period", "dimension_key", "value", "status", "revision", "is_current",
                    "import_run", "recorded_at")
    list_filter = ("is_current", "status", "unit__level")
    search_fields = ("unit__code", "unit__name", "indicator__code", "period", "dimension_key")
    list_select_related = ("unit", "indicator", "import_run")
    raw_id_fields = ("unit", "indicator", "import_run")
    show_full_result_count = False
    list_per_page = 100

    def has_add_permission(self, request) -> bool:
        """Observations are added by imports only."""
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        """Revisions are immutable."""
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        """Deleting would break the revision history."""
        return False
