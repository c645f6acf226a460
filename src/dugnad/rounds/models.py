"""Models of reporting rounds: rounds, survey questions, submissions, narratives, answers, snapshots and audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models

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

    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(help_text="The reporting year (data up to and including this year).")
    years_back = models.PositiveSmallIntegerField(default=4, help_text="How many years before `year` the grid shows.")
    deadline = models.DateField()
    scope_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="rounds")
    indicators = models.ManyToManyField("catalogue.Indicator", related_name="rounds")
    chapters = models.JSONField(default=list, help_text="Codes of the VLR chapters to write (see Chapter).")
    state = models.CharField(max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
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

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    choices = models.JSONField(default=list, blank=True, help_text="Options of a choice question.")
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)

    class Meta:
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

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="submissions")
    state = models.CharField(max_length=10, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every state change (optimistic locking).")
    review_comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
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

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="narratives")
    key = models.CharField(max_length=40, help_text="chapter:<code> or goal:<number>.")
    text = models.TextField(blank=True)
    language = models.CharField(max_length=2, choices=NarrativeLanguage.choices, default=NarrativeLanguage.NB,
                                help_text="The language the writer chose (documents tag the text with it).")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submission", "key"]
        constraints = [models.UniqueConstraint(fields=["submission", "key"], name="narrative_submission_key")]

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.key} v{self.version}"


class SurveyAnswer(models.Model):
    """A submission's answer to one survey question (value typed by the question's kind)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submission", "question__position"]
        constraints = [models.UniqueConstraint(fields=["submission", "question"], name="answer_submission_question")]

    def __str__(self) -> str:
        return f"{self.submission_id}/{self.question_id}: {self.value!r}"


class Snapshot(models.Model):
    """An immutable JSON copy of a submission's data, narratives and answers at approval or round close."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="snapshots")
    kind = models.CharField(max_length=10, choices=SnapshotKind.choices)
    data = models.JSONField()
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
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

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_key = models.CharField(max_length=200)
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.CASCADE, related_name="audit")
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="audit")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type} {self.object_key}"
