"""Django app configuration of networks and peer suggestions."""

from django.apps import AppConfig


class NetworksConfig(AppConfig):
    """The networks app."""

    name = "dugnad.networks"
    label = "networks"
    verbose_name = "Nettverk"
    default_auto_field = "django.db.models.BigAutoField"
