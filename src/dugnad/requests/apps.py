"""Django app configuration of requests across levels."""

from django.apps import AppConfig


class RequestsConfig(AppConfig):
    """The requests app (label ``levelrequests``, so it never reads as the HTTP library)."""

    name = "dugnad.requests"
    label = "levelrequests"
    verbose_name = "Henvendelser mellom nivåer"
    default_auto_field = "django.db.models.BigAutoField"
