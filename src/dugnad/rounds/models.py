"""Models of reporting rounds: rounds, survey questions, submissions, narratives, answers, snapshots and audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dugnad.accounts.permissions import units_editable_by, units_reviewable_by, units_visible_to
from dugnad.rounds.vocab import Chapter, NarrativeLanguage, QuestionKind, RoundState, SnapshotKind, SubmissionState


class RoundQuerySet(models.QuerySet):
    """Named scoping rules for rounds."""

    def visible_to(self, user) -> RoundQuerySet:
        """Rounds whose scope or some submission lies in a unit the user can see."""
        units = units_visible_to(user)
        return self.filter(models.Q(scope_unit__in=units) | models.Q(submissions__unit__in=units)).distinct()

    def open(self) -> RoundQuerySet:
        """Rounds that take submissions."""
        return self.filter(state=RoundState.OPEN)


class Round(models.Model):
    """A reporting round opened by a coordinator for the units below a scope unit."""

    title = models.CharField(verbose_name=_("tittel"), max_length=200)
    year = models.PositiveSmallIntegerField(verbose_name=_("rapporteringsår"),
                                            help_text=_("Året rapporteringen gjelder (data til og med dette året)."))
    years_back = models.PositiveSmallIntegerField(verbose_name=_("år bakover"), default=4,
                                                  help_text=_("Hvor mange år før rapporteringsåret rutenettet viser."))
    deadline = models.DateField(verbose_name=_("frist"))
    scope_unit = models.ForeignKey("units.Unit", verbose_name=_("gjelder enhetene under"), on_delete=models.PROTECT,
                                   related_name="rounds")
    indicators = models.ManyToManyField("catalogue.Indicator", verbose_name=_("indikatorer"), related_name="rounds")
    chapters = models.JSONField(verbose_name=_("kapitler"), default=list,
                                help_text=_("Kodene til VLR-kapitlene som skal skrives."))
    state = models.CharField(verbose_name=_("status"), max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opprettet av"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(verbose_name=_("opprettet"), auto_now_add=True)
    closed_at = models.DateTimeField(verbose_name=_("lukket"), null=True, blank=True)
    is_demo = models.BooleanField(verbose_name=_("demodata"), default=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapporteringsrunde")
        verbose_name_plural = _("rapporteringsrunder")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def periods(self) -> list[str]:
        """The years of the data grid, oldest first, as period strings."""
        return [str(y) for y in range(self.year - self.years_back, self.year + 1)]

    @property
    def chapter_choices(self) -> list[Chapter]:
        """The round's chapters as enum members, in the declared order."""
        return [c for c in Chapter if c.value in self.chapters]


class SurveyQuestion(models.Model):
    """One question of a round's self-assessment survey."""

    round = models.ForeignKey(Round, verbose_name=_("runde"), on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(verbose_name=_("plassering"), default=0)
    text = models.CharField(verbose_name=_("spørsmål"), max_length=500)
    kind = models.CharField(verbose_name=_("type"), max_length=10, choices=QuestionKind.choices)
    choices = models.JSONField(verbose_name=_("svaralternativer"), default=list, blank=True,
                               help_text=_("Alternativene i et flervalgsspørsmål."))
    scale_min = models.SmallIntegerField(verbose_name=_("skala fra"), default=1)
    scale_max = models.SmallIntegerField(verbose_name=_("skala til"), default=5)

    class Meta:
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")
        ordering = ["round", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def scale_values(self) -> list[int]:
        """The points of a scale question, lowest first."""
        return list(range(self.scale_min, self.scale_max + 1))


class SubmissionQuerySet(models.QuerySet):
    """Named scoping rules for submissions."""

    def visible_to(self, user) -> SubmissionQuerySet:
        """Submissions of units the user can see."""
        return self.filter(unit__in=units_visible_to(user))

    def editable_by(self, user) -> SubmissionQuerySet:
        """Submissions the user may edit now (own unit, draft or returned, open round)."""
        return self.filter(
            unit__in=units_editable_by(user),
            state__in=[SubmissionState.DRAFT, SubmissionState.RETURNED],
            round__state=RoundState.OPEN,
        )

    def reviewable_by(self, user) -> SubmissionQuerySet:
        """Submissions of units the user coordinates."""
        return self.filter(unit__in=units_reviewable_by(user))

    def in_round(self, round_) -> SubmissionQuerySet:
        """Submissions of one round."""
        return self.filter(round=round_)


class Submission(models.Model):
    """One participating unit's answer to a round: values, narratives and survey answers under review."""

    round = models.ForeignKey(Round, verbose_name=_("runde"), on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey("units.Unit", verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(verbose_name=_("status"), max_length=10, choices=SubmissionState.choices,
                             default=SubmissionState.DRAFT)
    version = models.PositiveIntegerField(verbose_name=_("versjon"), default=1,
                                          help_text=_("Økes ved hver statusendring (optimistisk låsing)."))
    review_comment = models.TextField(verbose_name=_("kommentar fra behandler"), blank=True)
    submitted_at = models.DateTimeField(verbose_name=_("levert"), null=True, blank=True)
    approved_at = models.DateTimeField(verbose_name=_("godkjent"), null=True, blank=True)
    updated_at = models.DateTimeField(verbose_name=_("endret"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("innlevering")
        verbose_name_plural = _("innleveringer")
        ordering = ["round", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="submission_round_unit")]

    def __str__(self) -> str:
        return f"{self.round} – {self.unit}"

    @property
    def is_editable(self) -> bool:
        """Whether editors may change it now: draft or returned, in an open round."""
        return SubmissionState(self.state).is_editable and self.round.state == RoundState.OPEN


class Narrative(models.Model):
    """Markdown text of one chapter (``chapter:<code>``) or one goal (``goal:<n>``) of a submission."""

    submission = models.ForeignKey(Submission, verbose_name=_("innlevering"), on_delete=models.CASCADE, related_name="narratives")
    key = models.CharField(verbose_name=_("nøkkel"), max_length=40, help_text=_("chapter:<kode> eller goal:<nummer>."))
    text = models.TextField(verbose_name=_("tekst"), blank=True)
    language = models.CharField(verbose_name=_("språk"), max_length=2, choices=NarrativeLanguage.choices,
                                default=NarrativeLanguage.NB,
                                help_text=_("Språket skriveren valgte (dokumentene merker teksten med det)."))
    version = models.PositiveIntegerField(verbose_name=_("versjon"), default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("endret av"), null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(verbose_name=_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("tekst")
        verbose_name_plural = _("tekster")
        ordering = ["submission", "key"]
        constraints = [models.UniqueConstraint(fields=["submission", "key"], name="narrative_submission_key")]

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.key} v{self.version}"


class SurveyAnswer(models.Model):
    """A submission's answer to one survey question (value typed by the question's kind)."""

    submission = models.ForeignKey(Submission, verbose_name=_("innlevering"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, verbose_name=_("spørsmål"), on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(verbose_name=_("svar"), null=True, blank=True)
    version = models.PositiveIntegerField(verbose_name=_("versjon"), default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("endret av"), null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(verbose_name=_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["submission", "question__position"]
        constraints = [models.UniqueConstraint(fields=["submission", "question"], name="answer_submission_question")]

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.question_id}: {self.value!r}"


class Snapshot(models.Model):
    """An immutable JSON copy of a submission's data, narratives and answers at approval or round close."""

    submission = models.ForeignKey(Submission, verbose_name=_("innlevering"), on_delete=models.PROTECT, related_name="snapshots")
    kind = models.CharField(verbose_name=_("type"), max_length=10, choices=SnapshotKind.choices)
    data = models.JSONField(verbose_name=_("innhold"), )
    taken_at = models.DateTimeField(verbose_name=_("tatt"), auto_now_add=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tatt av"), null=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        verbose_name = _("øyeblikksbilde")
        verbose_name_plural = _("øyeblikksbilder")
        ordering = ["submission", "taken_at"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind} {self.taken_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        """Insert only: a stored snapshot is never changed."""
        if self.pk is not None and Snapshot.objects.filter(pk=self.pk).exists():
            raise ValueError("Et øyeblikksbilde kan ikke endres.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Refuse: snapshots are permanent."""
        raise ValueError("Et øyeblikksbilde kan ikke slettes.")


class AuditEntry(models.Model):
    """One change recorded by a service: who, what, when, before and after."""

    at = models.DateTimeField(verbose_name=_("tidspunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("bruker"), null=True, on_delete=models.SET_NULL,
                             related_name="+")
    action = models.CharField(verbose_name=_("handling"), max_length=40)
    object_type = models.CharField(verbose_name=_("objekttype"), max_length=40)
    object_key = models.CharField(verbose_name=_("objektnøkkel"), max_length=200)
    round = models.ForeignKey(Round, verbose_name=_("runde"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="audit")
    submission = models.ForeignKey(Submission, verbose_name=_("innlevering"), null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="audit")
    before = models.JSONField(verbose_name=_("før"), null=True, blank=True)
    after = models.JSONField(verbose_name=_("etter"), null=True, blank=True)

    class Meta:
        verbose_name = _("logghendelse")
        verbose_name_plural = _("logghendelser")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type} {self.object_key}"
