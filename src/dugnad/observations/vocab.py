"""Vocabularies of the observation store."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    """Outcome of an import run."""

    RUNNING = "running", _("Pågår")
    OK = "ok", _("Fullført")
    NOOP = "noop", _("Ingen endringer")
    FAILED = "failed", _("Avvist")
