"""App configuration for dugnad.rounds."""

from django.apps import AppConfig


class RoundsConfig(AppConfig):
    """The rounds app."""

    name = "dugnad.rounds"
    verbose_name = "Rapporteringsrunder"
    label = "rounds"
    default_auto_field = "django.db.models.BigAutoField"
