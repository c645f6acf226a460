"""Django admin for levels, units, code changes and population figures."""

from __future__ import annotations

from django.contrib import admin

from dugnad.units.models import CodeChange, Level, Population, Unit


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    """Admin list of administrative levels."""

    list_display = ("code", "name_nb", "name_en", "rank")
    ordering = ("rank",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Admin list of units with their validity periods."""

    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level", "valid_from", "valid_to")
    search_fields = ("code", "name", "name_nn", "name_en")
    list_select_related = ("level", "parent")
    raw_id_fields = ("parent",)
    ordering = ("level__rank", "code", "valid_from")


@admin.register(CodeChange)
class CodeChangeAdmin(admin.ModelAdmin):
    """Admin list of code changes across reforms."""

    list_display = ("date", "change_type", "old_code", "old_name", "new_code", "new_name", "weight", "weight_basis", "level")
    list_filter = ("change_type", "weight_basis", "level", "date")
    search_fields = ("old_code", "old_name", "new_code", "new_name")


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    """Admin list of population figures (residents on 1 January) by code and year."""

    list_display = ("code", "year", "value", "basis")
    list_filter = ("year", "basis")
    search_fields = ("code",)
