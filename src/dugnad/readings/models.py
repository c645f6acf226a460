"""Models of the shared readings: a reading per SDG target and unit, its immutable versions, comments and agreements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dugnad.readings.vocab import ReadingLanguage, ReadingLevel, ReadingState


class Reading(models.Model):
    """What one SDG target means for one unit (the country, a county or a municipality), with where it stands."""

    target = models.ForeignKey("catalogue.Target", verbose_name=_("delmål"), on_delete=models.PROTECT,
                               related_name="readings")
    unit = models.ForeignKey("units.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="readings")
    level = models.CharField(verbose_name=_("nivå"), max_length=16, choices=ReadingLevel.choices)
    state = models.CharField(verbose_name=_("status"), max_length=20, choices=ReadingState.choices,
                             default=ReadingState.PROPOSED)
    agreed_version = models.ForeignKey("ReadingVersion", verbose_name=_("omforent versjon"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+",
                                       help_text=_("Den sist omforente versjonen (også mens en ny er foreslått)."))
    created_at = models.DateTimeField(verbose_name=_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("endret"), auto_now=True)
    is_demo = models.BooleanField(verbose_name=_("demodata"), default=False)

    class Meta:
        verbose_name = _("felles lesning")
        verbose_name_plural = _("felles lesninger")
        ordering = ["target__sort_key", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["target", "unit"], name="reading_target_unit")]

    def __str__(self) -> str:
        return f"{self.target.code} – {self.unit}"

    @property
    def state_enum(self) -> ReadingState:
        return ReadingState(self.state)


class ReadingVersion(models.Model):
    """One version of a reading's text; never changed once written (an edit is a new version)."""

    reading = models.ForeignKey(Reading, verbose_name=_("lesning"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(verbose_name=_("versjon"))
    text = models.TextField(verbose_name=_("tekst"))
    language = models.CharField(verbose_name=_("språk"), max_length=2, choices=ReadingLanguage.choices,
                                default=ReadingLanguage.NB)
    indicators = models.ManyToManyField("catalogue.Indicator", verbose_name=_("indikatorer"), blank=True,
                                        related_name="reading_versions")
    actions = models.ManyToManyField("actions.Action", verbose_name=_("felles tiltak"), blank=True,
                                     related_name="reading_versions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("forfatter"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("skrevet"), auto_now_add=True)

    class Meta:
        verbose_name = _("versjon av lesning")
        verbose_name_plural = _("versjoner av lesninger")
        ordering = ["reading", "number"]
        constraints = [models.UniqueConstraint(fields=["reading", "number"], name="reading_version_number")]

    def __str__(self) -> str:
        return f"{self.reading} v{self.number}"

    def save(self, *args, **kwargs):
        """Write a new version; an existing version is never changed."""
        if not self._state.adding:
            raise ValueError("A version of a reading is immutable; write a new version instead.")
        super().save(*args, **kwargs)


class ReadingComment(models.Model):
    """A comment on a reading, made on the version that was current then."""

    reading = models.ForeignKey(Reading, verbose_name=_("lesning"), on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(ReadingVersion, verbose_name=_("versjon"), on_delete=models.CASCADE,
                                related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("forfatter"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(verbose_name=_("kommentar"))
    created_at = models.DateTimeField(verbose_name=_("skrevet"), auto_now_add=True)

    class Meta:
        verbose_name = _("kommentar til lesning")
        verbose_name_plural = _("kommentarer til lesninger")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.reading}: {self.text[:40]}"


class ReadingAgreement(models.Model):
    """The record that a version was agreed: by whom (the role that agrees the unit's reading) and when."""

    reading = models.ForeignKey(Reading, verbose_name=_("lesning"), on_delete=models.CASCADE,
                                related_name="agreements")
    version = models.ForeignKey(ReadingVersion, verbose_name=_("versjon"), on_delete=models.CASCADE,
                                related_name="agreements")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("omforent av"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    agreed_at = models.DateTimeField(verbose_name=_("omforent"), auto_now_add=True)

    class Meta:
        verbose_name = _("omforening av lesning")
        verbose_name_plural = _("omforeninger av lesninger")
        ordering = ["agreed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.version} ({self.agreed_at:%Y-%m-%d})"
