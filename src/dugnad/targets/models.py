"""A unit's own target for an indicator in a target year, versioned: a new target supersedes the one in force."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dugnad.targets.vocab import DEFAULT_TARGET_YEAR, CommitmentSource


class LocalTargetQuerySet(models.QuerySet):
    """Named scoping rules for local targets."""

    def in_force(self) -> LocalTargetQuerySet:
        """Targets not superseded by a newer version."""
        return self.filter(superseded_at__isnull=True)


class LocalTarget(models.Model):
    """One version of a unit's target for an indicator and year, with its rationale and source of commitment."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="local_targets")
    indicator = models.ForeignKey("catalogue.Indicator", verbose_name=_("indikator"), on_delete=models.PROTECT,
                                  related_name="local_targets")
    value = models.FloatField(verbose_name=_("målverdi"))
    year = models.PositiveSmallIntegerField(verbose_name=_("målår"), default=DEFAULT_TARGET_YEAR)
    rationale = models.TextField(verbose_name=_("begrunnelse"), blank=True)
    source = models.CharField(verbose_name=_("forankring"), max_length=20, choices=CommitmentSource.choices,
                              default=CommitmentSource.PLAN)
    reference = models.CharField(verbose_name=_("referanse"), max_length=300, blank=True,
                                 help_text=_("Plan, saksnummer eller vedtak som forplikter enheten."))
    version = models.PositiveIntegerField(verbose_name=_("versjon"), default=1)
    superseded_at = models.DateTimeField(verbose_name=_("erstattet"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registrert av"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("registrert"), auto_now_add=True)
    is_demo = models.BooleanField(verbose_name=_("demodata"), default=False)

    objects = LocalTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("lokalt mål")
        verbose_name_plural = _("lokale mål")
        ordering = ["unit__code", "indicator__code", "year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "indicator", "year", "version"], name="targets_one_version"),
            models.UniqueConstraint(fields=["unit", "indicator", "year"], condition=Q(superseded_at__isnull=True),
                                    name="targets_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.indicator.code} {self.year}: {self.value:g} (v{self.version})"
