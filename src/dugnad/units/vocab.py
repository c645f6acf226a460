"""Vocabularies of units as enums with labels: code-change types and where a change's weight comes from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeType(models.TextChoices):
    """Kind of code-change event between two units."""

    RECODE = "recode", _("Nytt nummer")
    MERGE = "merge", _("Sammenslåing")
    SPLIT = "split", _("Deling")
    RENAME = "rename", _("Navneendring")


class WeightBasis(models.TextChoices):
    """Where the weight of a code-change event comes from."""

    WHOLE = "whole", _("Hele enheten")
    POPULATION = "population", _("Folketall")
    EQUAL = "equal", _("Like andeler")
    MUNICIPALITIES = "municipalities", _("Antall kommuner")
