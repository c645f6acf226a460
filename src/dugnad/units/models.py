"""Models of administrative levels, units and code changes."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dugnad.units.vocab import ChangeType, PopulationBasis, WeightBasis


class Level(models.Model):
    """An administrative level of a country (country, county, municipality …), configurable per country."""

    code = models.SlugField(max_length=32, unique=True)
    name_nb = models.CharField(max_length=100)
    name_nn = models.CharField(max_length=100, blank=True)
    name_en = models.CharField(max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(help_text="0 for the top level; children have higher ranks.")

    class Meta:
        verbose_name = _("nivå")
        verbose_name_plural = _("nivåer")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name_nb


class UnitQuerySet(models.QuerySet):
    """Named scoping rules for units."""

    def valid_on(self, date: dt.date) -> UnitQuerySet:
        """Units valid on the given date."""
        return self.filter(valid_from__lte=date).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=date))

    def at_level(self, level: str) -> UnitQuerySet:
        """Units at a level given by its code."""
        return self.filter(level__code=level)

    def current(self) -> UnitQuerySet:
        """Units valid today."""
        return self.valid_on(dt.date.today())

    def under(self, parent: Unit) -> UnitQuerySet:
        """Direct children of a unit."""
        return self.filter(parent=parent)


class Unit(models.Model):
    """An administrative unit (a country, county or municipality) valid for a period."""

    code = models.CharField(max_length=20, db_index=True)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=200, help_text="Name in Norwegian bokmål (or the main language).")
    name_nn = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    other_names = models.JSONField(default=dict, blank=True, help_text="Official Sámi/Kven forms by language code.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="First day the unit no longer exists (exclusive).")
    attributes = models.JSONField(default=dict, blank=True, help_text="Structural data: population, area, centrality …")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["code", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_valid_from")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CodeChange(models.Model):
    """A code-change event (recode, merge, split or rename) from an old unit code to a new one."""

    change_type = models.CharField(max_length=10, choices=ChangeType.choices)
    old_code = models.CharField(max_length=20, db_index=True)
    old_name = models.CharField(max_length=200, blank=True)
    new_code = models.CharField(max_length=20, db_index=True)
    new_name = models.CharField(max_length=200, blank=True)
    date = models.DateField(help_text="Date the change took effect.")
    weight = models.FloatField(default=1.0, help_text="Share of the old unit carried to the new one (splits).")
    weight_basis = models.CharField(max_length=16, choices=WeightBasis.choices, default=WeightBasis.WHOLE)
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.PROTECT, related_name="code_changes")

    class Meta:
        verbose_name = _("kodeendring")
        verbose_name_plural = _("kodeendringer")
        ordering = ["date", "old_code", "new_code"]
        constraints = [
            models.UniqueConstraint(fields=["old_code", "new_code", "date"], name="code_change_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.old_code} → {self.new_code} ({self.change_type})"


class Population(models.Model):
    """The number of residents of the unit with a code on 1 January of a year (read through
    ``units.selectors.population``, which also says which year answers for a year without a figure)."""

    code = models.CharField(max_length=20, db_index=True)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField()
    basis = models.CharField(max_length=12, choices=PopulationBasis.choices, default=PopulationBasis.PUBLISHED)

    class Meta:
        verbose_name = _("folketall")
        verbose_name_plural = _("folketall")
        ordering = ["year", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="population_code_year")]

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.value}"
