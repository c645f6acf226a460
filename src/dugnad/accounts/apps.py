"""App configuration for dugnad.accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The accounts app."""

    name = "dugnad.accounts"
    verbose_name = "Brukere og roller"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
