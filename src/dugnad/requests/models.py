"""Model of a request across levels: from a unit, to a level and body, tied to SDG targets and indicators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dugnad.accounts.permissions import is_administrator, units_visible_to
from dugnad.requests.vocab import RequestLevel, RequestStatus


class LevelRequestQuerySet(models.QuerySet):
    """Named scoping rules for requests."""

    def visible_to(self, user) -> LevelRequestQuerySet:
        """Requests the user may read: those from or to a unit the user can see (all for administrators)."""
        if is_administrator(user):
            return self.all()
        units = units_visible_to(user)
        return self.filter(models.Q(from_unit__in=units) | models.Q(to_unit__in=units)).distinct()


class LevelRequest(models.Model):
    """A barrier or request a municipality or county records for another level to act on, with its answer."""

    from_unit = models.ForeignKey("units.Unit", verbose_name=_("fra enhet"), on_delete=models.PROTECT,
                                  related_name="requests_sent")
    to_level = models.CharField(verbose_name=_("til nivå"), max_length=8, choices=RequestLevel.choices)
    to_unit = models.ForeignKey("units.Unit", verbose_name=_("mottaker"), on_delete=models.PROTECT,
                                related_name="requests_received", help_text=_("Enheten som skal svare."))
    to_body = models.CharField(verbose_name=_("organ"), max_length=200, blank=True,
                               help_text=_("For eksempel «Kommunal- og distriktsdepartementet»."))
    title = models.CharField(verbose_name=_("tittel"), max_length=300)
    text = models.TextField(verbose_name=_("tekst"), blank=True)
    targets = models.ManyToManyField("catalogue.Target", verbose_name=_("delmål"), blank=True,
                                     related_name="level_requests")
    indicators = models.ManyToManyField("catalogue.Indicator", verbose_name=_("indikatorer"), blank=True,
                                        related_name="level_requests")
    status = models.CharField(verbose_name=_("status"), max_length=12, choices=RequestStatus.choices,
                              default=RequestStatus.SUBMITTED)
    answer = models.TextField(verbose_name=_("svar"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("besvart av"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(verbose_name=_("besvart"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opprettet av"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("endret"), auto_now=True)
    is_demo = models.BooleanField(verbose_name=_("demodata"), default=False)

    objects = LevelRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("henvendelse")
        verbose_name_plural = _("henvendelser")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
