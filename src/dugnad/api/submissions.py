"""API of submissions: read, save values, narratives and answers, and submit, return or approve."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Router
from pydantic import StringConstraints

from dugnad.accounts.permissions import can_view_submission
from dugnad.api.schemas import (
    AnswerIn,
    CellOut,
    ConflictOut,
    ErrorOut,
    Id,
    NarrativeIn,
    NarrativeOut,
    ReturnIn,
    StateIn,
    SubmissionOut,
    SubmitIn,
    ValueIn,
    found,
)
from dugnad.rounds.editing import submission_answer_save, submission_narrative_save, submission_value_save
from dugnad.rounds.models import Submission
from dugnad.rounds.selectors import (
    round_indicator_get,
    submission_answers,
    submission_for_save,
    submission_get,
    submission_grid,
    survey_question_get,
)
from dugnad.rounds.services import submission_approve, submission_return, submission_submit

router = Router(tags=["submissions"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut}
Key = Annotated[str, StringConstraints(pattern=r"^(chapter|goal):[a-z0-9_]{1,30}$")]


def _submission(request, submission_id: int, read=submission_get) -> Submission:
    """The submission (404 when there is none); 403 when the user may not see it. ``read``: the selector (a value
    save reads only what it needs, ``submission_for_save``)."""
    submission = read(submission_id)
    if submission is None:
        raise Http404(_("Innleveringen finnes ikke."))
    if not can_view_submission(request.user, submission):
        raise PermissionDenied(_("Du har ikke tilgang til denne innleveringen."))
    return submission


def submission_out(sub: Submission) -> dict:
    """A submission with values, narratives and answers, as the API shows it."""
    values = [
        {"indicator_id": row.indicator.pk, "indicator": row.indicator.code, "period": c.period, "value": c.value,
         "status": c.status or "missing", "revision": c.revision}
        for row in submission_grid(sub) for c in row.cells
    ]
    questions = [
        {"id": q.pk, "position": q.position, "text": q.text, "kind": q.kind, "choices": q.choices,
         "answer": a.value if a else None, "version": a.version if a else 0}
        for q, a in submission_answers(sub)
    ]
    return {"id": sub.pk, "round_id": sub.round_id, "unit": sub.unit.code, "name": sub.unit.name, "status": sub.state,
            "version": sub.version, "review_comment": sub.review_comment, "values": values, "questions": questions,
            "narratives": [{"key": n.key, "text": n.text, "version": n.version, "language": n.language}
                           for n in sub.narratives.all()]}


@router.get("/{submission_id}", response={200: SubmissionOut, **ERRORS}, summary="One submission")
def submissions_read(request, submission_id: Id = Path(...)):
    """A submission you can see, with its grid, narratives and survey."""
    return submission_out(_submission(request, submission_id))


@router.put("/{submission_id}/values", response={200: CellOut, **ERRORS}, summary="Save a value")
def submissions_value(request, payload: ValueIn, submission_id: Id = Path(...)):
    """Save one grid cell (a stale ``revision`` gives 409 with the stored value)."""
    sub = _submission(request, submission_id, submission_for_save)
    indicator = found(round_indicator_get(sub.round_id, payload.indicator_id), "Ukjent indikator.")
    text = None if payload.value is None else str(payload.value)
    obs = submission_value_save(user=request.user, submission=sub, indicator=indicator, period=payload.period,
                                text=text, expected_revision=payload.revision)
    return {"indicator_id": indicator.pk, "indicator": indicator.code, "period": obs.period, "value": obs.value,
            "status": obs.status, "revision": obs.revision}


@router.put("/{submission_id}/narratives/{key}", response={200: NarrativeOut, **ERRORS}, summary="Save a narrative")
def submissions_narrative(request, payload: NarrativeIn, submission_id: Id = Path(...), key: Key = Path(...)):
    """Save a chapter (``chapter:opening``) or goal (``goal:3``) narrative in Markdown."""
    sub = _submission(request, submission_id)
    n = submission_narrative_save(user=request.user, submission=sub, key=key, text=payload.text, version=payload.version,
                                  language=payload.language)
    return {"key": n.key, "text": n.text, "version": n.version, "language": n.language}


@router.put("/{submission_id}/answers/{question_id}", response={200: dict, **ERRORS}, summary="Save a survey answer")
def submissions_answer(request, payload: AnswerIn, submission_id: Id = Path(...), question_id: Id = Path(...)):
    """Answer one survey question (yes/no as true/false or «ja»/«nei», a scale point, an option or text)."""
    sub = _submission(request, submission_id)
    question = found(survey_question_get(round_id=sub.round_id, pk=question_id), "Ukjent spørsmål.")
    a = submission_answer_save(user=request.user, submission=sub, question=question, raw=payload.answer,
                               version=payload.version)
    return {"question_id": question.pk, "answer": a.value, "version": a.version}


@router.post("/{submission_id}/submit", response={200: SubmissionOut, **ERRORS}, summary="Submit for review")
def submissions_submit(request, payload: SubmitIn, submission_id: Id = Path(...)):
    """Send a draft or returned submission for review (an incomplete one only with ``confirm_incomplete``)."""
    sub = submission_submit(user=request.user, submission=_submission(request, submission_id), version=payload.version,
                            confirm_incomplete=payload.confirm_incomplete)
    return submission_out(sub)


@router.post("/{submission_id}/return", response={200: SubmissionOut, **ERRORS}, summary="Return with a comment")
def submissions_return(request, payload: ReturnIn, submission_id: Id = Path(...)):
    """Return a submitted (or reopen an approved) submission to its unit with a comment."""
    sub = submission_return(user=request.user, submission=_submission(request, submission_id), comment=payload.comment,
                            version=payload.version)
    return submission_out(sub)


@router.post("/{submission_id}/approve", response={200: SubmissionOut, **ERRORS}, summary="Approve")
def submissions_approve(request, payload: StateIn, submission_id: Id = Path(...)):
    """Approve a submitted submission (stores its immutable snapshot)."""
    sub = submission_approve(user=request.user, submission=_submission(request, submission_id), version=payload.version)
    return submission_out(sub)
