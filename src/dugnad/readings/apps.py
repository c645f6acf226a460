"""Django app configuration of the shared readings of the SDG targets."""

from django.apps import AppConfig


class ReadingsConfig(AppConfig):
    """The readings app: one shared, versioned and agreed text per SDG target and unit."""

    name = "dugnad.readings"
    label = "readings"
    verbose_name = "Felles lesninger av delmålene"
    default_auto_field = "django.db.models.BigAutoField"
