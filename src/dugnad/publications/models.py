"""Models of publications: every generated report version, kept with its file, state and background task."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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

    kind = models.CharField(verbose_name=_("dokumenttype"), max_length=16, choices=DocumentKind.choices)
    round = models.ForeignKey("rounds.Round", verbose_name=_("runde"), on_delete=models.CASCADE, related_name="publications")
    unit = models.ForeignKey("units.Unit", verbose_name=_("enhet"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="publications",
                             help_text=_("Enheten som rapporterer; tom for den nasjonale VSR-en."))
    language = models.CharField(verbose_name=_("språk"), max_length=2, default="nb")
    format = models.CharField(verbose_name=_("format"), max_length=4, choices=PublicationFormat.choices,
                              default=PublicationFormat.PDF)
    version = models.PositiveIntegerField(verbose_name=_("versjon"), default=1,
                                          help_text=_("1 for den første versjonen av denne typen × runde × enhet."))
    state = models.CharField(verbose_name=_("status"), max_length=8, choices=PublicationState.choices,
                             default=PublicationState.QUEUED)
    progress = models.CharField(verbose_name=_("framdrift"), max_length=200, blank=True,
                                help_text=_("Siste framdriftsmelding fra oppgaven."))
    task_id = models.CharField(verbose_name=_("oppgave-id"), max_length=64, blank=True,
                               help_text=_("Id-en til oppgaven (django-tasks) som lager dokumentet."))
    file_path = models.CharField(verbose_name=_("filsti"), max_length=500, blank=True,
                                 help_text=_("Stien til fila under datakatalogen."))
    size = models.PositiveIntegerField(verbose_name=_("størrelse (byte)"), default=0)
    sha256 = models.CharField(verbose_name=_("SHA-256"), max_length=64, blank=True)
    is_demo = models.BooleanField(verbose_name=_("demodata"), default=False)
    error = models.TextField(verbose_name=_("feil"), blank=True)
    timings = models.JSONField(verbose_name=_("tidsbruk"), default=dict, blank=True,
                               help_text=_("Sekunder brukt på å bygge, på diagrammer og på sats."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("bestilt av"), null=True, blank=True,
                                   on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(verbose_name=_("bestilt"), auto_now_add=True)
    finished_at = models.DateTimeField(verbose_name=_("ferdig"), null=True, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publikasjon")
        verbose_name_plural = _("publikasjoner")
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
