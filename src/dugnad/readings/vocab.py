"""Vocabularies of the shared readings: where a reading stands, its level, and the language of a version."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadingState(models.TextChoices):
    """Where a reading stands: proposed, under discussion (once commented) or agreed (and reopened by a new proposal)."""

    PROPOSED = "proposed", _("Foreslått")
    UNDER_DISCUSSION = "under_discussion", _("Til diskusjon")
    AGREED = "agreed", _("Omforent")

    @property
    def next_states(self) -> tuple[str, ...]:
        """The states the reading may move to from this one."""
        return _NEXT[self.value]

    @property
    def is_open(self) -> bool:
        """Whether the reading is still being discussed (comments and agreement are possible)."""
        return self.value != "agreed"


_NEXT = {
    "proposed": ("under_discussion", "agreed"),
    "under_discussion": ("agreed",),
    "agreed": ("proposed",),
}


class ReadingLevel(models.TextChoices):
    """The level a reading speaks for, from its unit's level."""

    NATIONAL = "national", _("Nasjonal")
    COUNTY = "county", _("Fylke")
    MUNICIPALITY = "municipality", _("Kommune")

    @classmethod
    def of_unit(cls, unit) -> ReadingLevel | None:
        """The reading level of a unit (None for a level that has no readings)."""
        return _BY_UNIT_LEVEL.get(unit.level.code)


_BY_UNIT_LEVEL = {"country": ReadingLevel.NATIONAL, "county": ReadingLevel.COUNTY,
                  "municipality": ReadingLevel.MUNICIPALITY}


class ReadingLanguage(models.TextChoices):
    """The language a version of a reading is written in."""

    NB = "nb", _("Bokmål")
    NN = "nn", _("Nynorsk")
    EN = "en", _("Engelsk")
