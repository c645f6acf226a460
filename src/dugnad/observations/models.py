"""Model of stored observations: one row per revision, the current one flagged."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dugnad.analytics.types import ObservationStatus

STATUS_CHOICES = [(s.value, s.label_nb) for s in ObservationStatus]


class ObservationQuerySet(models.QuerySet):
    """Named scoping rules for observations."""

    def current(self) -> ObservationQuerySet:
        """Only the current revision of each observation."""
        return self.filter(is_current=True)

    def for_unit(self, unit) -> ObservationQuerySet:
        """Observations of one unit."""
        return self.filter(unit=unit)


class Observation(models.Model):
    """A value for unit × indicator × period × disaggregation; each change is a new revision row."""

    # No single-column indexes on unit/indicator: the unique indexes below start with unit and
    # ``obs_indicator_period`` starts with indicator, so they serve those lookups (fewer indexes = faster imports).
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="observations", db_index=False)
    indicator = models.ForeignKey("catalogue.Indicator", on_delete=models.PROTECT, related_name="observations",
                                  db_index=False)
    period = models.CharField(max_length=16, help_text="2024, 2024Q1, 2024M01 …")
    dimension_key = models.CharField(
        max_length=300, blank=True, default="", help_text="Canonical disaggregation key, e.g. age=0-17|sex=F."
    )
    dimensions = models.JSONField(default=dict, blank=True)
    value = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=ObservationStatus.OK.value)
    revision = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    import_run = models.ForeignKey("imports.ImportRun", null=True, blank=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tall")
        verbose_name_plural = _("tall")
        ordering = ["unit", "indicator", "period", "dimension_key", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "period", "dimension_key"],
                condition=Q(is_current=True),
                name="observation_current_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "indicator", "period", "dimension_key", "revision"], name="observation_revision_unique"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period"], name="obs_indicator_period")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}/{self.period}: {self.value}"
