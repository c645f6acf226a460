"""Admin for observations and import runs: read-only browsing of stored values, revisions and run reports."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html

from dugnad.analytics.report import Problem, Severity, ValidationReport
from dugnad.observations.models import ImportRun, Observation


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


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only view of import runs; a run's report is shown as the same table the upload page uses."""

    list_display = ("id", "kind", "source", "status", "is_demo", "rows_total", "rows_inserted", "rows_revised",
                    "rows_unchanged", "started_at", "user")
    list_filter = ("status", "kind", "is_demo")
    search_fields = ("source", "checksum")
    readonly_fields = ("kind", "source", "checksum", "status", "started_at", "finished_at", "user", "rows_total",
                       "rows_inserted", "rows_revised", "rows_unchanged", "is_demo", "provenance_pretty",
                       "report_table")
    exclude = ("provenance", "report")

    @admin.display(description="Provenance")
    def provenance_pretty(self, obj: ImportRun) -> str:
        """The provenance as indented JSON."""
        return format_html("<pre>{}</pre>", json.dumps(obj.provenance, ensure_ascii=False, indent=2))

    @admin.display(description="Report")
    def report_table(self, obj: ImportRun) -> str:
        """The stored validation report as an HTML table."""
        data = obj.report or {}
        report = ValidationReport(source=data.get("source", ""))
        for p in data.get("problems", []):
            report.problems.append(Problem(**{**p, "severity": Severity(p.get("severity", "error"))}))
        return format_html("{}", _safe(report.as_html()))

    def has_add_permission(self, request) -> bool:
        """Runs are created by imports only."""
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        """Runs are a record of what happened."""
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        """Observations point to their run (PROTECT); only empty failed runs could go, so none is deleted here."""
        return False


def _safe(markup: str):
    """Mark HTML built by ``ValidationReport.as_html`` (which escapes every value) as safe."""
    from django.utils.safestring import mark_safe

    return mark_safe(markup)  # noqa: S308 - as_html escapes all user-provided text
