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


class CountyChapter(models.TextChoices):
    """A chapter of the county review that the county writes in its own submission."""

    COUNTY_OPENING = "county_opening", _("Åpningsord")
    COUNTY_ASSESSMENT = "county_assessment", _("Fylkets vurdering av kommunene")
    COUNTY_MOBILISATION = "county_mobilisation", _("Slik mobiliserer fylket kommunene")
    COUNTY_NETWORKS = "county_networks", _("Nettverk og felles tiltak")
    COUNTY_NEXT_STEPS = "county_next_steps", _("Veien videre")


class NationalChapter(models.TextChoices):
    """A chapter of the national review (VSR) that KS writes in the country's submission."""

    NATIONAL_INTRODUCTION = "national_introduction", _("Innledning")
    NATIONAL_METHOD = "national_method", _("Metode og datagrunnlag")
    NATIONAL_ASSESSMENT = "national_assessment", _("KS' vurdering")
    NATIONAL_MINISTRY = "national_ministry", _("Samarbeidet med departementet")


def chapters_for_level(level_code: str, round_chapters: list[str]) -> list[str]:
    """The chapter codes a participant at this level writes: a county its county-review chapters, the country KS's
    national chapters, a municipality the round's VLR chapters."""
    if level_code == "county":
        return list(CountyChapter.values)
    if level_code == "country":
        return list(NationalChapter.values)
    return [c.value for c in Chapter if c.value in set(round_chapters)]


def chapter_label(code: str) -> str:
    """The readable name of any chapter code (VLR, county review or national)."""
    for enum in (Chapter, CountyChapter, NationalChapter):
        if code in enum.values:
            return str(enum(code).label)
    return code


class NarrativeLanguage(models.TextChoices):
    """The language a narrative is written in (the writer chooses; documents tag it)."""

    NB = "nb", _("Bokmål")
    NN = "nn", _("Nynorsk")
    EN = "en", _("Engelsk")
    SE = "se", _("Nordsamisk")


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
