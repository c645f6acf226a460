"""Django admin for rounds: read-mostly views for administrators (writes go through the services)."""

from django.contrib import admin

from dugnad.rounds.models import AuditEntry, Round, Snapshot, Submission


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Rounds, listed by year and state."""

    list_display = ("title", "year", "deadline", "scope_unit", "state", "is_demo")
    list_filter = ("state", "year", "is_demo")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Submissions, read-only: states change through the review services."""

    list_display = ("round", "unit", "state", "version", "updated_at")
    list_filter = ("state", "round")
    readonly_fields = ("round", "unit", "state", "version", "review_comment", "submitted_at", "approved_at")


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """Snapshots, read-only (immutable)."""

    list_display = ("submission", "kind", "taken_at", "taken_by")
    readonly_fields = ("submission", "kind", "data", "taken_at", "taken_by")

    def has_delete_permission(self, request, obj=None):
        """Snapshots are never deleted."""
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, read-only."""

    list_display = ("at", "user", "action", "object_type", "object_key")
    list_filter = ("action", "object_type")
    readonly_fields = ("at", "user", "action", "object_type", "object_key", "round", "submission", "before", "after")

    def has_add_permission(self, request):
        """Entries are written by services only."""
        return False
