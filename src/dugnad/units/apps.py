"""App configuration for dugnad.units."""

from django.apps import AppConfig


class UnitsConfig(AppConfig):
    """The units app."""

    name = "dugnad.units"
    verbose_name = "Enheter"
    label = "units"
    default_auto_field = "django.db.models.BigAutoField"
