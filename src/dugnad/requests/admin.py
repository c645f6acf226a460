"""Django admin of requests across levels."""

from django.contrib import admin

from dugnad.requests.models import LevelRequest


@admin.register(LevelRequest)
class LevelRequestAdmin(admin.ModelAdmin):
    """Requests with their sender, level, status and demo flag."""

    list_display = ("title", "from_unit", "to_level", "to_body", "status", "is_demo", "created_at")
    list_filter = ("to_level", "status", "is_demo")
    search_fields = ("title", "text", "to_body")
    autocomplete_fields = ("targets", "indicators")
    raw_id_fields = ("from_unit", "to_unit")
