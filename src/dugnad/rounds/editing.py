"""Writes of a submission's content: grid values, narratives and survey answers, with optimistic locking."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from dugnad.accounts.permissions import can_edit_submission
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.catalogue.selectors import indicator_spec_in_force, indicators_for_level, rule_applies_to_level
from dugnad.observations.models import Observation
from dugnad.observations.services import observation_locked
from dugnad.rounds.audit import audit_record
from dugnad.rounds.errors import Conflict
from dugnad.rounds.locks import submission_lock, submission_locked
from dugnad.rounds.models import Narrative, QuestionKind, Round, Submission, SurveyAnswer, SurveyQuestion
from dugnad.rounds.values import cell_parse, observation_revise
from dugnad.rounds.vocab import NarrativeLanguage, chapter_label, chapters_for_level


def _editable(user, submission: Submission) -> Submission:
    """The submission re-read under a row lock, after checking the user may edit it now."""
    locked = submission_lock(submission)
    if not can_edit_submission(user, locked):
        raise PermissionDenied(_("Du kan ikke endre denne innleveringen."))
    return locked


def _bad(reason: str, **where) -> InputError:
    """An InputError with one located problem."""
    report = ValidationReport(source="innlevering")
    report.add(reason, **where)
    return InputError(report)


@transaction.atomic
def submission_value_save(*, user, submission: Submission, indicator, period: str, text: str | None,
                          expected_revision: int) -> Observation:
    """Save one grid cell as a new observation revision; a stale ``expected_revision`` raises Conflict.

    ``expected_revision`` is the revision the editor saw (0 when the cell was empty). The grid's hot path: the locks
    (``locks.submission_locked``), the cell's read (``observations.services.observation_locked``), the write
    (``observation_write``) and the audit entry are fixed SQL statements. The rules are those of every submission
    write: the user's role on the unit, an editable submission in an open round, a located error for a bad value,
    nothing written on any error.
    """
    locked = submission_locked(submission)
    if not can_edit_submission(user, locked):
        raise PermissionDenied(_("Du kan ikke endre denne innleveringen."))
    unit = submission.unit
    in_round = getattr(indicator, "in_rounds", {}).get(locked.round_id)  # read with it (round_indicator_get)
    if in_round is None:
        in_round = Round.indicators.through.objects.filter(round_id=locked.round_id, indicator_id=indicator.pk).exists()
    if not in_round:
        raise _bad(_("Indikatoren er ikke med i runden."), column="indicator", value=indicator.code)
    if hasattr(indicator, "spec_applies_to"):  # read with it (round_indicator_get): no query for the spec
        spec, rule = None, indicator.spec_applies_to or ""
    else:
        spec = indicator_spec_in_force(indicator)
        rule = (spec.applies_to or "") if spec else ""
    if not rule_applies_to_level(rule, unit.level.code):
        raise _bad(_("Indikatoren rapporteres ikke av enheter på nivået «%(level)s» (den gjelder bare: %(rule)s).")
                   % {"level": unit.level.name_nb.lower(), "rule": rule}, column="indicator", value=indicator.code)
    if period not in locked.periods:
        raise _bad(_("Året er ikke med i runden."), column="period", value=period)
    cell = cell_parse(text, indicator=indicator, period=period, spec=spec)
    current = observation_locked(unit_id=unit.pk, indicator_id=indicator.pk, period=period)
    seen = current.revision if current else 0
    same = current is not None and current.value == cell.value and current.status == cell.status
    if int(expected_revision) != seen and not same:
        raise Conflict(what=f"{indicator.code} {period}", expected_version=int(expected_revision), current_version=seen,
                       current=current.value if current else None, yours=cell.value,
                       changed_by=current.changed_by if current else "")
    if same:
        return current
    observation = observation_revise(user=user, unit=unit, indicator=indicator, period=period, cell=cell,
                                     source=f"innlevering {submission.pk}", current=current)
    audit_record(user=user, action="value_save", object_type="value",
                 object_key=f"{unit.code}/{indicator.code}/{period}", submission=locked,
                 before={"value": current.value, "status": current.status, "revision": current.revision} if current else None,
                 after={"value": observation.value, "status": observation.status, "revision": observation.revision})
    return observation


def narrative_keys(submission: Submission) -> list[str]:
    """The narrative keys a submission may have: the chapters of its level (a municipality the round's chapters,
    a county the county-review chapters, the country KS's national chapters) and, for municipalities, the goals of
    the round's indicators."""
    level = submission.unit.level.code
    chapters = [f"chapter:{c}" for c in chapters_for_level(level, submission.round.chapters)]
    if level != "municipality":
        return chapters
    own = indicators_for_level(submission.round.indicators.all(), level)  # county-level indicators are not theirs
    goals = sorted(set(submission.round.indicators.filter(pk__in=[i.pk for i in own]).exclude(goals=None)
                       .values_list("goals", flat=True)))
    return chapters + [f"goal:{g}" for g in goals]


@transaction.atomic
def submission_narrative_save(*, user, submission: Submission, key: str, text: str, version: int,
                              language: str | None = None) -> Narrative:
    """Save a chapter or goal narrative (Markdown) in its language (nb, nn, en, se; unchanged when not given);
    ``version`` is the one the editor saw (0 = new)."""
    submission = _editable(user, submission)
    if key not in narrative_keys(submission):
        raise _bad(_("Ukjent kapittel eller mål."), column="key", value=key)
    if language is not None and language not in NarrativeLanguage.values:
        raise _bad(_("Ukjent språk; velg nb, nn, en eller se."), column="language", value=language)
    if len(text or "") > 50_000:
        raise _bad(_("Teksten er for lang (høyst 50 000 tegn)."), column=key)
    narrative = Narrative.objects.select_for_update().filter(submission=submission, key=key).first()
    seen = narrative.version if narrative else 0
    if int(version) != seen:
        raise Conflict(what=_key_label(key), expected_version=int(version), current_version=seen,
                       current=narrative.text if narrative else "", yours=text,
                       changed_by=narrative.updated_by.username if narrative and narrative.updated_by else "")
    before = ({"text": narrative.text, "language": narrative.language, "version": narrative.version}
              if narrative else None)
    if narrative is None:
        narrative = Narrative(submission=submission, key=key, version=0)
    elif narrative.text == text and (language is None or narrative.language == language):
        return narrative
    narrative.text = text
    if language is not None:
        narrative.language = language
    narrative.version += 1
    narrative.updated_by = user
    narrative.save()
    audit_record(user=user, action="narrative_save", object_type="narrative", object_key=f"{submission.pk}/{key}",
                 submission=submission, before=before,
                 after={"text": text, "language": narrative.language, "version": narrative.version})
    return narrative


def _key_label(key: str) -> str:
    """A readable name of a narrative key."""
    kind, _sep, code = key.partition(":")
    if kind == "chapter":
        return chapter_label(code)
    return _("mål %(goal)s") % {"goal": code}


def answer_parse(question: SurveyQuestion, raw):
    """The typed answer to a question (bool, int, option or text); raise InputError on a bad answer."""
    where = {"column": f"spørsmål {question.position}", "value": None if raw is None else str(raw)}
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if question.kind == QuestionKind.YES_NO:
        if isinstance(raw, bool):
            return raw
        mapped = {"ja": True, "yes": True, "true": True, "nei": False, "no": False, "false": False}.get(str(raw).lower())
        if mapped is None:
            raise _bad(_("Svar ja eller nei."), **where)
        return mapped
    if question.kind == QuestionKind.SCALE:
        try:
            number = int(str(raw))
        except ValueError:
            raise _bad(_("Svaret må være et heltall på skalaen."), **where) from None
        if not question.scale_min <= number <= question.scale_max:
            raise _bad(_("Svaret må ligge mellom %(min)s og %(max)s.") % {"min": question.scale_min,
                                                                          "max": question.scale_max}, **where)
        return number
    if question.kind == QuestionKind.CHOICE:
        if str(raw) not in question.choices:
            raise _bad(_("Velg et av alternativene."), **where)
        return str(raw)
    text = str(raw)
    if len(text) > 10_000:
        raise _bad(_("Svaret er for langt (høyst 10 000 tegn)."), **where)
    return text


@transaction.atomic
def submission_answer_save(*, user, submission: Submission, question: SurveyQuestion, raw, version: int) -> SurveyAnswer:
    """Save a survey answer; ``version`` is the one the editor saw (0 = unanswered)."""
    submission = _editable(user, submission)
    if question.round_id != submission.round_id:
        raise _bad(_("Spørsmålet hører ikke til runden."), column="question", value=str(question.pk))
    value = answer_parse(question, raw)
    answer = SurveyAnswer.objects.select_for_update().filter(submission=submission, question=question).first()
    seen = answer.version if answer else 0
    if int(version) != seen:
        raise Conflict(what=question.text, expected_version=int(version), current_version=seen,
                       current=answer.value if answer else None, yours=value,
                       changed_by=answer.updated_by.username if answer and answer.updated_by else "")
    before = {"value": answer.value, "version": answer.version} if answer else None
    if answer is None:
        answer = SurveyAnswer(submission=submission, question=question, version=0)
    elif answer.value == value:
        return answer
    answer.value = value
    answer.version += 1
    answer.updated_by = user
    answer.save()
    audit_record(user=user, action="answer_save", object_type="answer", object_key=f"{submission.pk}/{question.pk}",
                 submission=submission, before=before, after={"value": value, "version": answer.version})
    return answer
