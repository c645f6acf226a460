"""App configuration for dugnad.operations."""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Operations: health, heartbeats, backup/restore, lockout and error pages (no models)."""

    name = "dugnad.operations"
    verbose_name = "Drift"
    label = "operations"
    default_auto_field = "django.db.models.BigAutoField"
