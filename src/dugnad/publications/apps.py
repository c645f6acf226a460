"""Django app configuration of publications (VLR, county review and VSR documents)."""

from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    """The publications app: document builders, renderers and generated report versions."""

    name = "dugnad.publications"
    label = "publications"
    verbose_name = "Publikasjoner"
