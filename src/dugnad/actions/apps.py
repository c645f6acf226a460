"""Django app configuration of joint actions, organisations, agreements and the action catalogue."""

from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """The actions app."""

    name = "dugnad.actions"
    label = "actions"
    verbose_name = "Tiltak"
    default_auto_field = "django.db.models.BigAutoField"
