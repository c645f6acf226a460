"""App configuration for dugnad.scores."""

from django.apps import AppConfig


class ScoresConfig(AppConfig):
    """The scores app: persisted score runs and the reads of them."""

    name = "dugnad.scores"
    verbose_name = "Måloppnåelse"
    label = "scores"
    default_auto_field = "django.db.models.BigAutoField"
