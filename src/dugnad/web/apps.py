"""App configuration for dugnad.web."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web app."""

    name = "dugnad.web"
    verbose_name = "Nettsider"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"
