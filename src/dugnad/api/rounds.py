"""API of rounds: list, open, read, close and the status overview."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.responses import Status

from dugnad.accounts.permissions import units_round_scopes_for
from dugnad.api.schemas import CloseIn, ConflictOut, ErrorOut, Id, RoundIn, RoundOut, StatusOut, StatusRowOut, SubmissionBrief
from dugnad.catalogue.selectors import indicators_by_ids
from dugnad.rounds.models import Round
from dugnad.rounds.selectors import round_get, round_is_visible, round_overview, rounds_visible_to, submissions_visible_in_round
from dugnad.rounds.services import round_close, round_open

router = Router(tags=["rounds"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut, 422: ErrorOut}


def round_out(r: Round) -> dict:
    """A round as the API shows it."""
    return {"id": r.pk, "title": r.title, "year": r.year, "deadline": r.deadline, "scope_unit": r.scope_unit.code,
            "state": r.state, "chapters": r.chapters, "is_demo": r.is_demo,
            "indicator_ids": list(r.indicators.order_by("pk").values_list("pk", flat=True))}


def _round(request, round_id: int) -> Round:
    """The round (404 when there is none); 403 when the user may not see it."""
    round_ = round_get(round_id)
    if round_ is None:
        raise Http404(_("Runden finnes ikke."))
    if not round_is_visible(round_, user=request.user):
        raise PermissionDenied(_("Du har ikke tilgang til denne runden."))
    return round_


@router.get("", response=list[RoundOut], summary="Rounds you can see")
def rounds_list(request):
    """Every round the signed-in user can see, newest first."""
    return [round_out(r) for r in rounds_visible_to(request.user)]


@router.post("", response={201: RoundOut, **ERRORS}, summary="Open a round")
def rounds_create(request, payload: RoundIn):
    """Open a round over a unit you coordinate (the country for KS, your county for a county coordinator)."""
    scope = units_round_scopes_for(request.user).filter(code=payload.scope_unit).select_related("level").first()
    if scope is None:
        raise PermissionDenied(_("Du kan ikke åpne runder for denne enheten."))
    indicators = indicators_by_ids(payload.indicator_ids)
    round_ = round_open(user=request.user, scope_unit=scope, title=payload.title, year=payload.year,
                        deadline=payload.deadline, indicators=indicators, chapters=payload.chapters,
                        questions=[q.dict() for q in payload.questions])
    return Status(201, round_out(round_))


@router.get("/{round_id}", response={200: RoundOut, **ERRORS}, summary="One round")
def rounds_read(request, round_id: Id = Path(...)):
    """A round you can see."""
    return round_out(_round(request, round_id))


@router.post("/{round_id}/close", response={200: RoundOut, **ERRORS}, summary="Close a round")
def rounds_close(request, payload: CloseIn, round_id: Id = Path(...)):
    """Close the round: snapshots of every submission, no more edits. ``confirmation`` must be the round's title."""
    return round_out(round_close(user=request.user, round_=_round(request, round_id), confirmation=payload.confirmation))


@router.get("/{round_id}/status", response={200: StatusOut, **ERRORS}, summary="Status overview")
def rounds_status(request, round_id: Id = Path(...), county: str = "", size: str = ""):
    """Counts per state and one row per participating unit you can see (filters: county code, size band)."""
    round_ = _round(request, round_id)
    rows, counts = round_overview(round_, user=request.user, county=county, size=size)
    return {"round_id": round_.pk, "counts": counts, "units": [
        StatusRowOut(submission_id=r.submission.pk, unit=r.submission.unit.code, name=r.submission.unit.name,
                     county=r.county, size=r.size, status=r.submission.state, overdue=r.overdue)
        for r in rows]}


@router.get("/{round_id}/submissions", response={200: list[SubmissionBrief], **ERRORS}, summary="Submissions of a round")
def rounds_submissions(request, round_id: Id = Path(...)):
    """The round's submissions you can see."""
    round_ = _round(request, round_id)
    subs = submissions_visible_in_round(round_, user=request.user)
    return [{"id": s.pk, "round_id": round_.pk, "unit": s.unit.code, "name": s.unit.name, "status": s.state,
             "version": s.version} for s in subs]
