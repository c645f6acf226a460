"""App configuration for dugnad.observations."""

from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    """The observations app."""

    name = "dugnad.observations"
    verbose_name = "Tall"
    label = "observations"
    default_auto_field = "django.db.models.BigAutoField"
