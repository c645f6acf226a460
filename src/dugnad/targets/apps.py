"""Django app configuration of local targets."""

from django.apps import AppConfig


class TargetsConfig(AppConfig):
    """The targets app."""

    name = "dugnad.targets"
    label = "targets"
    verbose_name = "Lokale mål"
    default_auto_field = "django.db.models.BigAutoField"
