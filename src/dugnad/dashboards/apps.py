"""App configuration for dugnad.dashboards."""

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """The dashboards app."""

    name = "dugnad.dashboards"
    label = "dashboards"
    default_auto_field = "django.db.models.BigAutoField"
