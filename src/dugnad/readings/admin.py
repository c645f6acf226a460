"""Django admin of the shared readings (versions, comments and agreements shown read-only)."""

from django.contrib import admin

from dugnad.readings.models import Reading, ReadingAgreement, ReadingComment, ReadingVersion


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(_ReadOnlyInline):
    model = ReadingVersion
    fields = ("number", "language", "author", "created_at", "text")
    readonly_fields = fields


class CommentInline(_ReadOnlyInline):
    model = ReadingComment
    fields = ("version", "author", "created_at", "text")
    readonly_fields = fields


class AgreementInline(_ReadOnlyInline):
    model = ReadingAgreement
    fields = ("version", "agreed_by", "agreed_at")
    readonly_fields = fields


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    """Readings with their target, unit, level, state and demo flag; writes go through the web's role-checked pages."""

    list_display = ("target", "unit", "level", "state", "is_demo", "updated_at")
    list_filter = ("level", "state", "is_demo")
    search_fields = ("target__code", "unit__code", "unit__name")
    raw_id_fields = ("target", "unit", "agreed_version")
    readonly_fields = ("state", "agreed_version")
    inlines = [VersionInline, CommentInline, AgreementInline]
