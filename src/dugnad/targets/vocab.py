"""Vocabularies of the targets app: where a local target's commitment comes from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The target year when none is given.
DEFAULT_TARGET_YEAR = 2030


class CommitmentSource(models.TextChoices):
    """The document or decision that commits the unit to the target."""

    PLAN = "plan", _("Plan (f.eks. kommuneplanens samfunnsdel)")
    COUNCIL_DECISION = "council_decision", _("Kommunestyre- eller fylkestingsvedtak")
    OTHER = "other", _("Annet")
    DEMO = "demo", _("Demodata")
