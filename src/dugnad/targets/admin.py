"""Admin of local targets (read the history, fix a typo)."""

from django.contrib import admin

from dugnad.targets.models import LocalTarget


@admin.register(LocalTarget)
class LocalTargetAdmin(admin.ModelAdmin):
    """Local targets with their versions."""

    list_display = ("unit", "indicator", "year", "value", "version", "source", "superseded_at", "is_demo")
    list_filter = ("source", "year", "is_demo")
    search_fields = ("unit__code", "unit__name", "indicator__code")
