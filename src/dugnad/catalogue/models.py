"""Models of the SDG catalogue: goals, targets, frameworks, indicators, concordance and specifications."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dugnad.analytics.rollup.types import Direction
from dugnad.catalogue.vocab import DIRECTION_CHOICES, Relation


class Goal(models.Model):
    """One of the 17 Sustainable Development Goals, with its official colour."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    colour = models.CharField(max_length=7, help_text="Official UN colour as #RRGGBB.")
    name_nb = models.CharField(max_length=200)
    name_nn = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    title_nb = models.TextField(blank=True, help_text="Full goal text in bokmål.")
    title_en = models.TextField(blank=True, help_text="Full goal text in English.")

    class Meta:
        verbose_name = _("bærekraftsmål")
        verbose_name_plural = _("bærekraftsmål")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name_nb}"


class Target(models.Model):
    """One of the 169 SDG targets (e.g. ``3.2``, ``4.a``)."""

    code = models.CharField(max_length=8, unique=True)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    title_nb = models.TextField(blank=True)
    title_en = models.TextField(blank=True)
    sort_key = models.CharField(max_length=16, db_index=True, help_text="Key that sorts 1.10 after 1.9.")

    class Meta:
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return self.code


class Framework(models.Model):
    """An indicator framework (UN global indicators, De norske målepunktene, U4SSC, …)."""

    code = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("rammeverk")
        verbose_name_plural = _("rammeverk")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """An indicator of one framework, addressable by its code within the framework (e.g. UN ``3.2.1``)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=100)
    name_nb = models.TextField()
    name_nn = models.TextField(blank=True)
    name_en = models.TextField(blank=True)
    uri = models.URLField(max_length=500, blank=True)
    unit_of_measure = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=500, blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="indicators")
    targets = models.ManyToManyField(Target, blank=True, related_name="indicators")
    metadata = models.JSONField(default=dict, blank=True, help_text="Periodicity, level, quality class, subjects …")

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["framework", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indicator_framework_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_nb[:60]}"


class Concordance(models.Model):
    """A link between indicators of two frameworks, so that one value can count for both."""

    source = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="concordances_out")
    target = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="concordances_in")
    relation = models.CharField(max_length=10, choices=Relation.choices, default=Relation.SAME)
    basis = models.CharField(
        max_length=40, blank=True, help_text="Rule that derived the link (e.g. skos:closeMatch); empty when entered by hand."
    )

    class Meta:
        verbose_name = _("kobling mellom indikatorer")
        verbose_name_plural = _("koblinger mellom indikatorer")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="concordance_unique")]

    def __str__(self) -> str:
        return f"{self.source} ~ {self.target} ({self.relation})"


class IndicatorSpec(models.Model):
    """A versioned specification of how an indicator is measured and assessed."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="specs")
    version = models.PositiveIntegerField(default=1)
    label = models.CharField(max_length=300, blank=True, help_text="Short label for dashboards; the indicator name when empty.")
    valid_from = models.DateField(null=True, blank=True)
    unit_of_measure = models.CharField(max_length=200, blank=True)
    direction = models.CharField(max_length=6, choices=DIRECTION_CHOICES, default=Direction.HIGHER.value)
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.PROTECT, help_text="Goal it is scored under.")
    upper_bound = models.FloatField(null=True, blank=True, help_text="Value that scores 100.")
    lower_bound = models.FloatField(null=True, blank=True, help_text="Value that scores 0.")
    green = models.FloatField(null=True, blank=True, help_text="Green threshold (raw units).")
    red = models.FloatField(null=True, blank=True, help_text="Red threshold (raw units).")
    target_2030 = models.FloatField(null=True, blank=True)
    trend_from = models.PositiveSmallIntegerField(null=True, blank=True)
    trend_to = models.PositiveSmallIntegerField(null=True, blank=True)
    in_index = models.BooleanField(default=True)
    applies_to = models.CharField(max_length=200, blank=True, help_text="|-separated unit tags; !tag excludes.")
    aggregation = models.CharField(
        max_length=10, choices=[("sum", _("Sum (antall)")), ("mean", _("Gjennomsnitt (rate)"))], default="mean"
    )
    source = models.CharField(max_length=500, blank=True)
    dimensions = models.JSONField(default=list, blank=True, help_text="Disaggregation dimensions, e.g. [\"sex\"].")

    class Meta:
        verbose_name = _("indikatorspesifikasjon")
        verbose_name_plural = _("indikatorspesifikasjoner")
        ordering = ["indicator", "-version"]
        constraints = [models.UniqueConstraint(fields=["indicator", "version"], name="spec_indicator_version")]

    def __str__(self) -> str:
        return f"{self.indicator.code} v{self.version}"
