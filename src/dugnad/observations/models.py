"""Models of stored observations (one row per revision, the current one flagged) and the import runs behind them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dugnad.analytics.types import ObservationStatus
from dugnad.observations.vocab import RunStatus

STATUS_CHOICES = [(s.value, s.label_nb) for s in ObservationStatus]


class ImportRun(models.Model):
    """One import of observations (file upload, SSB sync, demo load) with provenance and validation report."""

    kind = models.CharField(max_length=30, help_text="csv, xlsx, ssb, demo …")
    source = models.CharField(max_length=1000, help_text="File name or URL.")
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the input.")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    rows_total = models.PositiveIntegerField(default=0)
    rows_inserted = models.PositiveIntegerField(default=0)
    rows_revised = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    provenance = models.JSONField(default=dict, blank=True, help_text="Table id, updated, URL, retrieval time …")
    report = models.JSONField(default=dict, blank=True, help_text="The validation report (see analytics.report).")
    is_demo = models.BooleanField(default=False, help_text="Demo data – not real figures.")

    class Meta:
        # The table was created by the imports app and adopted here (migration observations 0003): same rows.
        db_table = "imports_importrun"
        ordering = ["-started_at"]
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self) -> str:
        return f"{self.kind} {self.source} ({self.status})"


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
    import_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.PROTECT)
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
