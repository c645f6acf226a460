"""Admin of the good-practice library."""

from django.contrib import admin

from dugnad.practices.models import CaseEvidence, PracticeCase


class EvidenceInline(admin.TabularInline):
    model = CaseEvidence
    extra = 0
    raw_id_fields = ("indicator",)


@admin.register(PracticeCase)
class PracticeCaseAdmin(admin.ModelAdmin):
    """Good-practice cases (edit through the services to keep the search index current; or run `dugnad practices reindex`)."""

    list_display = ("title", "unit", "year", "is_demo")
    search_fields = ("title",)
    inlines = [EvidenceInline]
    filter_horizontal = ("targets",)
