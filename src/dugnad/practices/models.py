"""Models of the good-practice library: cases and their indicator evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeCase(models.Model):
    """A good-practice case: what was done, where, the results with indicator evidence, contact, targets and tags."""

    title = models.CharField(max_length=300)
    summary = models.TextField(help_text="What was done.")
    results = models.TextField(blank=True, help_text="What came of it.")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="practice_cases",
                             help_text="Where it was done.")
    organisation = models.ForeignKey("actions.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.ForeignKey("actions.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    targets = models.ManyToManyField("catalogue.Target", blank=True, related_name="practice_cases")
    tags = models.JSONField(default=list, blank=True, help_text="Free keywords, in Norwegian.")
    keywords = models.TextField(blank=True, editable=False,
                                help_text="Tags, place and targets as text, kept by the services for search.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("godt eksempel")
        verbose_name_plural = _("gode eksempler")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CaseEvidence(models.Model):
    """An indicator's value before and after, as evidence of a case's results."""

    case = models.ForeignKey(PracticeCase, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey("catalogue.Indicator", on_delete=models.CASCADE, related_name="+")
    before_period = models.CharField(max_length=20)
    before_value = models.FloatField()
    after_period = models.CharField(max_length=20)
    after_value = models.FloatField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("indikatorbevis")
        verbose_name_plural = _("indikatorbevis")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.before_value} → {self.after_value}"
