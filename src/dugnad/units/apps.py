"""App configuration for dugnad.units."""

from django.apps import AppConfig


class UnitsConfig(AppConfig):
    """The units app."""

    name = "dugnad.units"
    label = "units"
    default_auto_field = "django.db.models.BigAutoField"
