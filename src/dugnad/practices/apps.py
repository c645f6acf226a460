"""Django app configuration of the good-practice library."""

from django.apps import AppConfig


class PracticesConfig(AppConfig):
    """The practices app."""

    name = "dugnad.practices"
    label = "practices"
    verbose_name = "Gode eksempler"
    default_auto_field = "django.db.models.BigAutoField"
