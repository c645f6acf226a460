"""App configuration for dugnad.web."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web app."""

    name = "dugnad.web"
    verbose_name = "Nettsider"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Kept public pages follow saved shared readings and local targets (read live on their pages), and the data
        revision follows edits of joint actions, networks and finished publications (``portal.tokens``)."""
        from dugnad.portal.tokens import connect_tokens

        connect_tokens()
