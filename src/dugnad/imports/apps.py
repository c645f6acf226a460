"""App configuration for dugnad.imports."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """The imports app."""

    name = "dugnad.imports"
    verbose_name = "Import"
    label = "imports"
    default_auto_field = "django.db.models.BigAutoField"
