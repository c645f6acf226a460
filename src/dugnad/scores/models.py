"""Models of persisted score runs: one versioned run per method, parameters and data revision, with its result rows."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dugnad.scores.vocab import ScoreRunStatus


class ScoreRunQuerySet(models.QuerySet):
    """Named scoping rules for score runs."""

    def done(self) -> ScoreRunQuerySet:
        """Runs that finished and whose results can be read."""
        return self.filter(status=ScoreRunStatus.DONE)

    def latest_first(self) -> ScoreRunQuerySet:
        """Newest run first."""
        return self.order_by("-created_at", "-pk")


class ScoreRun(models.Model):
    """One scoring of the stored observations with one method, parameters and data revision."""

    method = models.CharField(max_length=32, help_text="Registered scoring method, e.g. sdsn.")
    method_version = models.CharField(max_length=32)
    parameters = models.JSONField(default=dict, help_text="Every parameter given to the engine (year, coverage rule …).")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Scored year; empty = latest available.")
    data_revision = models.CharField(
        max_length=64, help_text="SHA-256 of the observations (ids and revisions), specs and units that went in."
    )
    fingerprint = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of method, version, parameters and data.")
    status = models.CharField(max_length=8, choices=ScoreRunStatus.choices, default=ScoreRunStatus.RUNNING)
    units = models.PositiveIntegerField(default=0)
    indicators = models.PositiveIntegerField(default=0)
    observations = models.PositiveIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True, help_text="Engine metadata: edition, notes, derived bounds.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScoreRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("poengberegning")
        verbose_name_plural = _("poengberegninger")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"], condition=Q(status="done"), name="score_run_done_fingerprint_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Score run {self.pk} ({self.method} {self.method_version}, {self.get_status_display()})"


class IndicatorScore(models.Model):
    """The score, colour and trend of one indicator for one unit in a score run."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="indicator_scores")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey("catalogue.Indicator", on_delete=models.CASCADE, related_name="+")
    goal = models.PositiveSmallIntegerField(null=True)
    year = models.PositiveSmallIntegerField(null=True, help_text="Year of the value used.")
    value = models.FloatField(null=True)
    score = models.FloatField(null=True, help_text="Normalised 0–100.")
    colour = models.CharField(max_length=8, blank=True)
    trend = models.CharField(max_length=24, blank=True)
    ratio = models.FloatField(null=True, help_text="Trend ratio achieved / needed.")

    class Meta:
        verbose_name = _("poeng per indikator")
        verbose_name_plural = _("poeng per indikator")
        constraints = [models.UniqueConstraint(fields=["run", "unit", "indicator"], name="indicator_score_unique")]
        indexes = [models.Index(fields=["run", "indicator"], name="indicator_score_run_ind")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_id}: {self.score} {self.colour}"


class GoalScore(models.Model):
    """The score, colour and trend of one SDG goal for one unit in a score run."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="goal_scores")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    goal = models.PositiveSmallIntegerField()
    score = models.FloatField(null=True)
    colour = models.CharField(max_length=8, blank=True)
    trend = models.CharField(max_length=24, blank=True)
    imputed = models.BooleanField(default=False, help_text="The index used the group mean because the goal had no score.")

    class Meta:
        verbose_name = _("poeng per mål")
        verbose_name_plural = _("poeng per mål")
        ordering = ["goal"]
        constraints = [models.UniqueConstraint(fields=["run", "unit", "goal"], name="goal_score_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/goal {self.goal}: {self.score} {self.colour}"


class IndexScore(models.Model):
    """One unit's index score and rank in a score run (empty below the coverage rule)."""

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="index_scores")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(null=True)
    rank = models.PositiveIntegerField(null=True)
    missing_share = models.FloatField(null=True, help_text="Share of index indicators without data.")

    class Meta:
        verbose_name = _("indeksverdi")
        verbose_name_plural = _("indeksverdier")
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="index_score_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.score} (#{self.rank})"
