"""Vocabularies of reporting rounds as enums with labels: chapters, round and submission states, question and snapshot kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Chapter(models.TextChoices):
    """A chapter of a voluntary local review (VLR) that a round can ask for."""

    OPENING = "opening", _("Innledning")
    POLICY = "policy", _("Politikk og rammebetingelser")
    LEAVE_NO_ONE_BEHIND = "leave_no_one_behind", _("Ingen skal utenfor")
    GOAL_PROGRESS = "goal_progress", _("Framdrift per mål")
    MEANS = "means", _("Virkemidler for gjennomføring")
    NEXT_STEPS = "next_steps", _("Veien videre")


class RoundState(models.TextChoices):
    """Whether a round takes submissions."""

    OPEN = "open", _("Åpen")
    CLOSED = "closed", _("Lukket")


class SubmissionState(models.TextChoices):
    """Where a submission is in review: draft → submitted → returned → approved."""

    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Levert")
    RETURNED = "returned", _("Returnert")
    APPROVED = "approved", _("Godkjent")

    @property
    def is_editable(self) -> bool:
        """Whether the unit's editors can change the submission in this state."""
        return self in {SubmissionState.DRAFT, SubmissionState.RETURNED}


class QuestionKind(models.TextChoices):
    """The kind of answer a survey question takes."""

    YES_NO = "yes_no", _("Ja/nei")
    SCALE = "scale", _("Skala")
    CHOICE = "choice", _("Valg")
    TEXT = "text", _("Fritekst")


class SnapshotKind(models.TextChoices):
    """Why a snapshot was taken."""

    APPROVAL = "approval", _("Ved godkjenning")
    CLOSE = "close", _("Ved lukking av runden")
