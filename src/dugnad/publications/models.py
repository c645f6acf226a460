"""Models of publications: every generated report version, kept with its file, state and background task."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dugnad.publications.vocab import DocumentKind, PublicationFormat, PublicationState


class PublicationQuerySet(models.QuerySet):
    """Named scoping rules for generated report versions."""

    def of(self, *, kind: str, round_, unit=None) -> PublicationQuerySet:
        """Versions of one document (kind × round × unit), newest first."""
        return self.filter(kind=kind, round=round_, unit=unit).order_by("-version", "-pk")

    def done(self) -> PublicationQuerySet:
        """Versions whose file can be downloaded."""
        return self.filter(state=PublicationState.DONE)


class Publication(models.Model):
    """One generated version of a VLR, county review or VSR in one language and format; earlier versions are kept."""

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="publications")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="publications",
                             help_text="The reporting unit; empty for the national VSR.")
    language = models.CharField(max_length=2, default="nb")
    format = models.CharField(max_length=4, choices=PublicationFormat.choices, default=PublicationFormat.PDF)
    version = models.PositiveIntegerField(default=1, help_text="1 for the first version of this kind × round × unit.")
    state = models.CharField(max_length=8, choices=PublicationState.choices, default=PublicationState.QUEUED)
    progress = models.CharField(max_length=200, blank=True, help_text="Last progress message of the task.")
    task_id = models.CharField(max_length=64, blank=True, help_text="Id of the django-tasks task making it.")
    file_path = models.CharField(max_length=500, blank=True, help_text="Path of the file below the data directory.")
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    is_demo = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds spent building, in charts and typesetting.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "round", "unit", "language", "format", "version"],
                                    name="publication_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id or 'national'} r{self.round_id} {self.language} v{self.version} ({self.state})"

    @property
    def filename(self) -> str:
        """The download name, e.g. ``vlr-4601-r3-nb-v2.pdf``."""
        who = self.unit.code if self.unit_id else "national"
        return f"{self.kind}-{who}-r{self.round_id}-{self.language}-v{self.version}.{self.format}"
