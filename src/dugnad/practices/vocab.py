"""Vocabularies of the good-practice library as enums with metadata: municipality size bands (a search facet)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeBand(models.TextChoices):
    """Municipality size by population, as a search facet."""

    SMALL = "small", _("Under 5 000 innbyggere")
    MEDIUM = "medium", _("5 000–20 000 innbyggere")
    LARGE = "large", _("20 000–100 000 innbyggere")
    CITY = "city", _("Over 100 000 innbyggere")
    UNKNOWN = "unknown", _("Ukjent størrelse")

    @classmethod
    def of(cls, population: float | None) -> SizeBand:
        """The band of a population (unknown when not recorded)."""
        if population is None:
            return cls.UNKNOWN
        for band, high in ((cls.SMALL, 5_000), (cls.MEDIUM, 20_000), (cls.LARGE, 100_000)):
            if population < high:
                return band
        return cls.CITY
