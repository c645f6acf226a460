"""Vocabularies of units as enums with labels: code-change types, where a change's weight comes from, size bands."""

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


#: Lower bound (residents) of each band that has one, in order; a band runs up to the next one's bound.
_LOWER = {"small": 0, "medium": 5_000, "large": 20_000, "city": 100_000}


class SizeBand(models.TextChoices):
    """A unit's size by its population on 1 January (unknown without a figure)."""

    SMALL = "small", _("Under 5 000 innbyggere")
    MEDIUM = "medium", _("5 000–19 999 innbyggere")
    LARGE = "large", _("20 000–99 999 innbyggere")
    CITY = "city", _("100 000 innbyggere eller flere")
    UNKNOWN = "unknown", _("Ukjent størrelse")

    @property
    def lower(self) -> int | None:
        """The smallest population in the band (None for unknown)."""
        return _LOWER.get(self.value)

    @classmethod
    def known(cls) -> list[SizeBand]:
        """The bands with population bounds, smallest first."""
        return [band for band in cls if band.lower is not None]

    @classmethod
    def of(cls, population: float | None) -> SizeBand:
        """The band of a population (unknown when there is no figure)."""
        if population is None:
            return cls.UNKNOWN
        return [band for band in cls.known() if population >= band.lower][-1]  # type: ignore[operator]


class PopulationBasis(models.TextChoices):
    """Where a population figure comes from."""

    PUBLISHED = "published", _("Publisert")
    SUM = "sum", _("Summen av kommunene")
