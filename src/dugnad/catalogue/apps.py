"""App configuration for dugnad.catalogue."""

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The catalogue app."""

    name = "dugnad.catalogue"
    verbose_name = "Katalog over mål og indikatorer"
    label = "catalogue"
    default_auto_field = "django.db.models.BigAutoField"
