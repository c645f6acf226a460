"""Models of import runs: what was imported, from where, with what result and report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    """Outcome of an import run."""

    RUNNING = "running", _("Pågår")
    OK = "ok", _("Fullført")
    NOOP = "noop", _("Ingen endringer")
    FAILED = "failed", _("Avvist")


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
        verbose_name = _("import")
        verbose_name_plural = _("importer")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.source} ({self.status})"
