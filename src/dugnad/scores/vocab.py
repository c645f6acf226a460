"""Vocabularies of score runs as enums with labels: the run status."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoreRunStatus(models.TextChoices):
    """Where a score run is in its life."""

    RUNNING = "running", _("Kjører")
    DONE = "done", _("Ferdig")
    FAILED = "failed", _("Feilet")
