"""Writes of rounds and review: open and close rounds; submit, return and approve submissions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dugnad.accounts.permissions import can_manage_round, can_open_round, can_review_submission, can_submit_submission
from dugnad.analytics.report import InputError, ValidationReport
from dugnad.rounds.audit import audit_record
from dugnad.rounds.errors import Conflict
from dugnad.rounds.locks import submission_lock
from dugnad.rounds.models import Round, Submission, SurveyQuestion
from dugnad.rounds.selectors import submission_completeness
from dugnad.rounds.snapshots import snapshot_take
from dugnad.rounds.vocab import Chapter, QuestionKind, RoundState, SnapshotKind, SubmissionState
from dugnad.units.models import Unit


def round_participants(scope_unit: Unit, *, on: dt.date | None = None):
    """The units that take part in a round over a scope, valid on the date.

    A national round: every municipality and every county (each county writes its own submission), and the country
    unit itself, whose submission holds KS's national chapters. A county round: the county's municipalities.
    """
    on = on or dt.date.today()
    municipalities = Unit.objects.at_level("municipality").valid_on(on)
    if scope_unit.level.rank == 0:
        counties = Unit.objects.at_level("county").valid_on(on)
        return (municipalities | counties | Unit.objects.filter(pk=scope_unit.pk)).order_by("code")
    return municipalities.filter(parent=scope_unit).order_by("code")


def _round_validate(*, title, year, deadline, indicators, chapters, questions) -> ValidationReport:
    """Check a round's settings; the report names each bad field."""
    report = ValidationReport(source="runde")
    if not (title or "").strip():
        report.add(_("Tittel mangler."), column="title")
    if not 2000 <= int(year) <= 2100:
        report.add(_("Rapporteringsåret må ligge mellom 2000 og 2100."), column="year", value=str(year))
    if deadline is None:
        report.add(_("Frist mangler."), column="deadline")
    if not indicators:
        report.add(_("Velg minst én indikator."), column="indicators")
    known = {c.value for c in Chapter}
    for code in chapters:
        if code not in known:
            report.add(_("Ukjent kapittel."), column="chapters", value=str(code))
    kinds = {k.value for k in QuestionKind}
    for i, q in enumerate(questions, start=1):
        if not str(q.get("text", "")).strip():
            report.add(_("Spørsmålet mangler tekst."), row=i, column="questions")
        if q.get("kind") not in kinds:
            report.add(_("Ukjent spørsmålstype."), row=i, column="kind", value=str(q.get("kind")))
        if q.get("kind") == QuestionKind.CHOICE and len(q.get("choices") or []) < 2:
            report.add(_("Et valgspørsmål trenger minst to alternativer."), row=i, column="choices")
    return report


@transaction.atomic
def round_open(*, user, scope_unit: Unit, title: str, year: int, deadline: dt.date, indicators, chapters: list[str],
               questions: list[dict] | None = None, is_demo: bool = False) -> Round:
    """Open a round over the units below ``scope_unit`` with one draft submission per participating unit."""
    if not can_open_round(user, scope_unit):
        raise PermissionDenied(_("Du kan ikke åpne runder for denne enheten."))
    questions = questions or []
    indicators = list(indicators)
    report = _round_validate(title=title, year=year, deadline=deadline, indicators=indicators,
                             chapters=chapters, questions=questions)
    if not report.ok:
        raise InputError(report)
    round_ = Round.objects.create(
        title=title.strip(), year=int(year), deadline=deadline, scope_unit=scope_unit,
        chapters=[c.value for c in Chapter if c.value in set(chapters)],
        created_by=user if getattr(user, "is_authenticated", False) else None, is_demo=is_demo,
    )
    round_.indicators.set(indicators)
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(round=round_, position=i, text=q["text"].strip(), kind=q["kind"], choices=q.get("choices") or [],
                       scale_min=q.get("scale_min", 1), scale_max=q.get("scale_max", 5))
        for i, q in enumerate(questions, start=1)
    )
    Submission.objects.bulk_create(Submission(round=round_, unit=u) for u in round_participants(scope_unit))
    audit_record(user=user, action="round_open", object_type="round", object_key=str(round_.pk), round_=round_,
                 after={"title": round_.title, "year": round_.year, "deadline": deadline.isoformat(),
                        "scope": scope_unit.code, "indicators": len(indicators), "chapters": round_.chapters,
                        "questions": len(questions), "submissions": round_.submissions.count()})
    return round_


def _bad(reason: str, *, column: str, value: str | None = None, source: str = "runde") -> InputError:
    """An InputError with one located problem."""
    report = ValidationReport(source=source)
    report.add(reason, column=column, value=value)
    return InputError(report)


@transaction.atomic
def round_close(*, user, round_: Round, confirmation: str) -> Round:
    """Close a round: no more edits, and a snapshot of every submission is stored.

    ``confirmation`` must be the round's title as typed by the coordinator; anything else leaves the round open.
    """
    round_ = Round.objects.select_for_update().select_related("scope_unit__level").get(pk=round_.pk)
    if not can_manage_round(user, round_):
        raise PermissionDenied(_("Du kan ikke lukke denne runden."))
    if round_.state == RoundState.CLOSED:
        return round_
    if " ".join((confirmation or "").split()) != " ".join(round_.title.split()):
        raise _bad(_("Skriv rundens tittel nøyaktig for å bekrefte at runden skal lukkes."), column="confirmation",
                   value=confirmation or "")
    counts = {s.value: 0 for s in SubmissionState}
    round_.state = RoundState.CLOSED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["state", "closed_at"])
    for submission in round_.submissions.select_related("unit", "round"):
        counts[submission.state] += 1
        snapshot_take(submission=submission, kind=SnapshotKind.CLOSE, user=user)
    audit_record(user=user, action="round_close", object_type="round", object_key=str(round_.pk), round_=round_,
                 before={"state": RoundState.OPEN, "submissions": counts}, after={"state": RoundState.CLOSED})
    return round_


@transaction.atomic
def round_reopen(*, user, round_: Round, reason: str) -> Round:
    """Reopen a closed round (its coordinator: KS for a national round), with a reason kept in the audit log.

    The snapshots taken at closing stay as they are; submissions keep their states.
    """
    round_ = Round.objects.select_for_update().select_related("scope_unit__level").get(pk=round_.pk)
    if not can_manage_round(user, round_):
        raise PermissionDenied(_("Du kan ikke gjenåpne denne runden."))
    if round_.state == RoundState.OPEN:
        return round_
    if not (reason or "").strip():
        raise _bad(_("Skriv hvorfor runden gjenåpnes."), column="reason")
    closed_at = round_.closed_at
    round_.state = RoundState.OPEN
    round_.closed_at = None
    round_.save(update_fields=["state", "closed_at"])
    audit_record(user=user, action="round_reopen", object_type="round", object_key=str(round_.pk), round_=round_,
                 before={"state": RoundState.CLOSED, "closed_at": closed_at.isoformat() if closed_at else None},
                 after={"state": RoundState.OPEN, "reason": reason.strip()})
    return round_


def _locked(submission: Submission) -> Submission:
    """The submission re-read under a row lock, with its round and unit (``locks.submission_lock``)."""
    return submission_lock(submission)


def _check_version(submission: Submission, version: int | None) -> None:
    """Raise Conflict when a state change carries a stale submission version."""
    if version is not None and int(version) != submission.version:
        raise Conflict(what=_("innleveringen"), expected_version=int(version), current_version=submission.version,
                       current=submission.get_state_display())


def _transition(*, user, submission: Submission, to: SubmissionState, action: str, comment: str = "",
                extra: dict | None = None) -> Submission:
    """Move a locked submission to a new state, bump its version and audit the change."""
    before = {"state": submission.state, "version": submission.version, "review_comment": submission.review_comment}
    submission.state = to
    submission.version += 1
    now = timezone.now()
    if to == SubmissionState.SUBMITTED:
        submission.submitted_at = now
    if to == SubmissionState.APPROVED:
        submission.approved_at = now
    if to == SubmissionState.RETURNED:
        submission.review_comment = comment
    submission.save()
    audit_record(user=user, action=action, object_type="submission", object_key=str(submission.pk),
                 submission=submission, before=before,
                 after={"state": submission.state, "version": submission.version, "review_comment": submission.review_comment,
                        **(extra or {})})
    return submission


@transaction.atomic
def submission_submit(*, user, submission: Submission, version: int | None = None,
                      confirm_incomplete: bool = False) -> Submission:
    """Send a draft or returned submission for review.

    An incomplete submission (empty cells, unwritten texts, unanswered questions) is refused unless
    ``confirm_incomplete`` says the editor saw what is missing and submits anyway; the audit log keeps what was missing.
    """
    submission = _locked(submission)
    if not can_submit_submission(user, submission):
        raise PermissionDenied(_("Du kan ikke levere denne innleveringen."))
    _check_version(submission, version)
    completeness = submission_completeness(submission)
    if not completeness.complete and not confirm_incomplete:
        raise _bad(_("Innleveringen er ikke komplett (%(missing)s). Bekreft at du vil levere likevel.")
                   % {"missing": completeness.summary()},
                   column="confirm_incomplete", source="innlevering")
    return _transition(user=user, submission=submission, to=SubmissionState.SUBMITTED, action="submission_submit",
                       extra=None if completeness.complete else {"incomplete": _in_bokmal(completeness.summary)})


def _in_bokmal(text) -> str:
    """``text()`` in bokmål, whatever the request's language (the audit log is kept in one language)."""
    with translation.override("nb"):
        return text()


def _reviewable(user, submission: Submission, version: int | None, *, states=(SubmissionState.SUBMITTED,)) -> Submission:
    """The locked submission after checking review rights, state and version."""
    submission = _locked(submission)
    if not can_review_submission(user, submission):
        raise PermissionDenied(_("Du kan ikke behandle denne innleveringen."))
    _check_version(submission, version)
    if submission.state not in states:
        report = ValidationReport(source="innlevering")
        report.add(_("Innleveringen kan ikke behandles i denne tilstanden."), column="state", value=submission.state)
        raise InputError(report)
    return submission


@transaction.atomic
def submission_return(*, user, submission: Submission, comment: str, version: int | None = None) -> Submission:
    """Return a submitted (or approved, to reopen it) submission to its unit with a comment saying what to fix.

    Reopening an approved submission leaves its approval snapshot untouched.
    """
    submission = _reviewable(user, submission, version, states=(SubmissionState.SUBMITTED, SubmissionState.APPROVED))
    if not (comment or "").strip():
        report = ValidationReport(source="innlevering")
        report.add(_("Skriv en kommentar som forklarer hva som må rettes."), column="comment")
        raise InputError(report)
    return _transition(user=user, submission=submission, to=SubmissionState.RETURNED, action="submission_return",
                       comment=comment.strip())


@transaction.atomic
def submission_approve(*, user, submission: Submission, version: int | None = None) -> Submission:
    """Approve a submitted submission and store its immutable snapshot."""
    submission = _reviewable(user, submission, version)
    submission = _transition(user=user, submission=submission, to=SubmissionState.APPROVED, action="submission_approve")
    snapshot_take(submission=submission, kind=SnapshotKind.APPROVAL, user=user)
    return submission
