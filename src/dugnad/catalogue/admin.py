"""Django admin for the catalogue: goals, targets, frameworks, indicators, concordance and specifications."""

from __future__ import annotations

from django.contrib import admin

from dugnad.catalogue.models import Concordance, Framework, Goal, Indicator, IndicatorSpec, Target
from dugnad.catalogue.services import indicator_spec_save

#: Form fields passed on to ``indicator_spec_save``.
SPEC_FORM_FIELDS = (
    "valid_from", "label", "unit_of_measure", "direction", "goal", "upper_bound", "lower_bound", "green", "red",
    "target_2030", "trend_from", "trend_to", "in_index", "applies_to", "aggregation", "source", "dimensions",
)


class TargetInline(admin.TabularInline):
    """Targets shown on their goal's page."""

    model = Target
    extra = 0
    fields = ("code", "title_nb", "title_en", "sort_key")


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    """Admin for goals."""

    list_display = ("number", "name_nb", "name_nn", "name_en", "colour")
    search_fields = ("name_nb", "name_nn", "name_en")
    inlines = (TargetInline,)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """Admin for targets."""

    list_display = ("code", "goal", "title_nb")
    list_filter = ("goal",)
    search_fields = ("code", "title_nb", "title_en")
    ordering = ("sort_key",)


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """Admin for indicator frameworks."""

    list_display = ("code", "name", "publisher", "licence")
    search_fields = ("code", "name", "publisher")


class IndicatorSpecInline(admin.TabularInline):
    """Specification versions shown on their indicator's page (read-only: new versions come from the services)."""

    model = IndicatorSpec
    extra = 0
    can_delete = False
    fields = ("version", "valid_from", "label", "goal", "direction", "upper_bound", "lower_bound", "green", "red", "in_index")
    readonly_fields = fields


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Admin for indicators."""

    list_display = ("code", "name_nb", "framework", "unit_of_measure")
    list_filter = ("framework", "goals")
    search_fields = ("code", "name_nb", "name_en", "uri")
    autocomplete_fields = ("targets",)
    filter_horizontal = ("goals",)
    list_select_related = ("framework",)
    inlines = (IndicatorSpecInline,)


@admin.register(Concordance)
class ConcordanceAdmin(admin.ModelAdmin):
    """Admin for concordance links between indicators."""

    list_display = ("source", "target", "relation", "basis")
    list_filter = ("relation", "basis")
    search_fields = ("source__code", "target__code", "source__name_nb", "target__name_nb")
    raw_id_fields = ("source", "target")
    list_select_related = ("source", "target")


@admin.register(IndicatorSpec)
class IndicatorSpecAdmin(admin.ModelAdmin):
    """Admin for indicator specification versions; saving a change makes a new version (never an overwrite)."""

    readonly_fields = ("version",)

    def save_model(self, request, obj, form, change):
        """Save through ``indicator_spec_save`` so that an edit becomes a new version."""
        fields = {name: form.cleaned_data[name] for name in SPEC_FORM_FIELDS if name in form.cleaned_data}
        saved = indicator_spec_save(indicator=form.cleaned_data["indicator"], **fields)
        obj.pk, obj.version = saved.spec.pk, saved.spec.version

    list_display = ("indicator", "version", "valid_from", "goal", "direction", "upper_bound", "lower_bound", "in_index")
    list_filter = ("direction", "in_index", "indicator__framework")
    search_fields = ("indicator__code", "indicator__name_nb", "label")
    raw_id_fields = ("indicator",)
    list_select_related = ("indicator", "goal")
