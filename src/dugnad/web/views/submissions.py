"""Web views of a submission: the page, per-cell/narrative/answer saves (htmx), review actions and snapshots."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dugnad.accounts.permissions import can_edit_submission, can_review_submission, can_view_submission
from dugnad.actions.selectors import actions_of_unit
from dugnad.analytics.report import InputError
from dugnad.imports.upload import can_upload
from dugnad.rounds.editing import (
    submission_answer_save,
    submission_narrative_save,
    submission_value_save,
)
from dugnad.rounds.errors import Conflict
from dugnad.rounds.models import Submission
from dugnad.rounds.refresh import refresh_available, submission_refresh
from dugnad.rounds.selectors import (
    GridCell,
    round_indicator_get,
    snapshot_get,
    submission_answers,
    submission_completeness,
    submission_for_save,
    submission_get,
    submission_grid,
    submission_text_sections,
    survey_question_get,
)
from dugnad.rounds.services import submission_approve, submission_return, submission_submit
from dugnad.web.params import REQUIRED, int_param
from dugnad.web.views.lookup import found

VALIDATION_STATUS = 422
CONFLICT_STATUS = 409
BUSY_STATUS = 503
#: Seconds a client is told to wait before saving again when the store was busy.
BUSY_RETRY_AFTER = 2


@contextmanager
def save_wait(milliseconds: int | None = None) -> Iterator[None]:
    """On SQLite: wait at most ``milliseconds`` (``settings.SAVE_BUSY_MS``) for the write lock, then restore the
    connection's own wait. A long import holds the lock to its end; a save then fails fast instead of hanging."""
    if connection.vendor != "sqlite":
        yield
        return
    wait = settings.SAVE_BUSY_MS if milliseconds is None else milliseconds
    before = float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000  # sqlite3's own default: 5 s
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(wait)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")


def _is_busy(exc: OperationalError) -> bool:
    """Whether a database error says the store is locked by another writer (SQLite)."""
    return "locked" in str(exc).lower() or "busy" in str(exc).lower()


def busy_as_503(view):
    """A save that finds the store locked by another writer answers 503 «busy» (with Retry-After) in the user's
    language instead of waiting behind a long import."""
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            with save_wait():
                return view(request, *args, **kwargs)
        except OperationalError as exc:
            if not _is_busy(exc):
                raise
        response = HttpResponse(_("Ikke lagret: dataene oppdateres akkurat nå (en stor import). Prøv igjen om litt."),
                                status=BUSY_STATUS, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response
    return wrapped


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _visible(request: HttpRequest, submission_id: int, read=submission_get) -> Submission:
    """The submission (404 when there is none); 403 when the user may not see it. ``read``: the selector (a grid
    save reads only what it needs, ``submission_for_save``)."""
    submission = read(submission_id)
    if submission is None:
        raise Http404(_("Innleveringen finnes ikke."))
    if not can_view_submission(request.user, submission):
        raise PermissionDenied(_("Du har ikke tilgang til denne innleveringen."))
    return submission


def _narrative_sections(submission: Submission) -> list[dict]:
    """Each narrative the submission asks for, with its label and stored text/version."""
    return submission_text_sections(submission)


def _detail_context(request: HttpRequest, submission: Submission) -> dict:
    """What the submission page shows: grid, texts, survey, what is missing, state and review actions."""
    grid, texts, answers = submission_grid(submission), _narrative_sections(submission), submission_answers(submission)
    return {
        "submission": submission, "round": submission.round, "grid": grid, "narratives": texts, "answers": answers,
        "completeness": submission_completeness(submission, grid=grid, texts=texts, answers=answers),
        "can_edit": can_edit_submission(request.user, submission),
        "can_review": can_review_submission(request.user, submission),
        "snapshots": submission.snapshots.order_by("taken_at"), "refresh_available": refresh_available(),
        "actions": actions_of_unit(submission.unit, user=request.user),
        "can_upload": can_upload(request.user, submission.unit),
    }


@login_required
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    """A submission: what is missing, data grid, narratives, survey, state and review actions."""
    submission = _visible(request, submission_id)
    return render(request, "web/submissions/detail.html", _detail_context(request, submission))


@login_required
def submission_progress(request: HttpRequest, submission_id: int) -> HttpResponse:
    """The progress per part and the list of what is missing, as stored now (the page refreshes them as the editor
    saves cells, texts and answers)."""
    submission = _visible(request, submission_id)
    return render(request, "web/submissions/_live.html", {
        "submission": submission, "completeness": submission_completeness(submission)})


def _back(submission: Submission, anchor: str = "") -> HttpResponse:
    """Redirect to the submission page (non-htmx form posts)."""
    response = redirect("submission-detail", submission_id=submission.pk)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


@login_required
@require_POST
@busy_as_503
def value_save(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Save one grid cell; htmx gets the cell back with a saved/invalid/conflict message."""
    submission = _visible(request, submission_id, submission_for_save)
    indicator = found(round_indicator_get(submission.round_id,
                                          int_param(request.POST, "indicator", default=REQUIRED, minimum=1)),
                      _("Ukjent indikator"))
    period = request.POST.get("period", "")
    text = request.POST.get("value", "")
    try:
        expected = int(request.POST.get("revision", "0"))
    except ValueError:
        expected = -1
    context = {"submission": submission, "row_indicator": indicator, "can_edit": True, "message": "", "kind": ""}
    status = 200
    try:
        obs = submission_value_save(user=request.user, submission=submission, indicator=indicator, period=period,
                                    text=text, expected_revision=expected)
        context["cell"] = GridCell(period, obs.value, obs.status, obs.revision)
        context.update(message=_("Lagret"), kind="saved")
    except InputError as exc:
        context["cell"] = GridCell(period, None, "", expected)
        context.update(message=exc.report.errors[0].reason, kind="error", typed=text)
        status = VALIDATION_STATUS
    except Conflict as exc:
        context["cell"] = GridCell(period, exc.current, "", exc.current_version)
        context.update(kind="conflict", typed=text, conflict=exc)
        status = CONFLICT_STATUS
    if not _is_htmx(request):
        if status != 200:
            messages.error(request, str(context.get("conflict") or context["message"]))
        return _back(submission, "data")
    return render(request, "web/submissions/_cell.html", context, status=status)


@login_required
@require_POST
@busy_as_503
def narrative_save(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Save one narrative; htmx gets the section back with a saved/conflict message."""
    submission = _visible(request, submission_id)
    key = request.POST.get("key", "")
    text = request.POST.get("text", "")
    sections = {s["key"]: s for s in _narrative_sections(submission)}
    status, context = 200, {"submission": submission, "can_edit": True}
    try:
        narrative = submission_narrative_save(user=request.user, submission=submission, key=key, text=text,
                                              version=int_param(request.POST, "version", default=0),
                                              language=request.POST.get("language") or None)
        section = {**sections[key], "narrative": narrative}
        context.update(message=_("Lagret"), kind="saved")
    except InputError as exc:
        section = sections.get(key) or {"key": key, "label": key, "narrative": None, "dom_id": "ukjent"}
        context.update(message=exc.report.errors[0].reason, kind="error", typed=text)
        status = VALIDATION_STATUS
    except Conflict as exc:
        section = sections[key]
        context.update(kind="conflict", conflict=exc, typed=text)
        status = CONFLICT_STATUS
    context["section"] = section
    if not _is_htmx(request):
        if status != 200:
            messages.error(request, str(context.get("conflict") or context.get("message")))
        return _back(submission, "tekster")
    return render(request, "web/submissions/_narrative.html", context, status=status)


@login_required
@require_POST
@busy_as_503
def answer_save(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Save one survey answer; htmx gets the question back with a saved/invalid/conflict message."""
    submission = _visible(request, submission_id)
    question = found(survey_question_get(round_id=submission.round_id,
                                         pk=int_param(request.POST, "question", default=REQUIRED, minimum=1)),
                     _("Ukjent spørsmål"))
    raw = request.POST.get("answer", "")
    status, context = 200, {"submission": submission, "question": question, "can_edit": True}
    try:
        answer = submission_answer_save(user=request.user, submission=submission, question=question, raw=raw,
                                        version=int_param(request.POST, "version", default=0))
        context.update(answer=answer, message=_("Lagret"), kind="saved")
    except InputError as exc:
        context.update(answer=question.answers.filter(submission=submission).first(),
                       message=exc.report.errors[0].reason, kind="error")
        status = VALIDATION_STATUS
    except Conflict as exc:
        context.update(answer=question.answers.filter(submission=submission).first(), kind="conflict", conflict=exc)
        status = CONFLICT_STATUS
    if not _is_htmx(request):
        if status != 200:
            messages.error(request, str(context.get("conflict") or context.get("message")))
        return _back(submission, "egenvurdering")
    return render(request, "web/submissions/_answer.html", context, status=status)


def _state_change(request: HttpRequest, submission_id: int, action, error_field: str) -> HttpResponse:
    """Run a review service and go back to the page; a refused change shows the page again with the error at its form."""
    submission = _visible(request, submission_id)
    try:
        action(submission, int_param(request.POST, "version"))
    except (InputError, Conflict) as exc:
        if isinstance(exc, InputError):
            text, status = "; ".join(p.reason for p in exc.report.errors), VALIDATION_STATUS
        else:
            text, status = str(exc), CONFLICT_STATUS
        submission = _visible(request, submission_id)
        context = _detail_context(request, submission)
        context.update({f"{error_field}_error": text, "typed_comment": request.POST.get("comment", "")})
        return render(request, "web/submissions/detail.html", context, status=status)
    return _back(submission, "status")


@login_required
@require_POST
def submission_submit_view(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Send the submission for review."""
    def act(sub, version):
        submission_submit(user=request.user, submission=sub, version=version,
                          confirm_incomplete=request.POST.get("confirm_incomplete") == "on")
        messages.success(request, _("Innleveringen er levert til behandling."))
    return _state_change(request, submission_id, act, "submit")


@login_required
@require_POST
def submission_return_view(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Return the submission to its unit with a comment."""
    def act(sub, version):
        submission_return(user=request.user, submission=sub, comment=request.POST.get("comment", ""), version=version)
        messages.success(request, _("Innleveringen er returnert med kommentar."))
    return _state_change(request, submission_id, act, "return")


@login_required
@require_POST
def submission_approve_view(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Approve the submission (stores its snapshot)."""
    def act(sub, version):
        submission_approve(user=request.user, submission=sub, version=version)
        messages.success(request, _("Innleveringen er godkjent, og et øyeblikksbilde er lagret."))
    return _state_change(request, submission_id, act, "approve")


@login_required
@require_POST
def submission_refresh_view(request: HttpRequest, submission_id: int) -> HttpResponse:
    """Refresh the submission's values from SSB (only where the SSB sync is installed)."""
    submission = _visible(request, submission_id)
    if not can_edit_submission(request.user, submission):
        raise PermissionDenied(_("Du kan ikke endre denne innleveringen."))
    message = submission_refresh(user=request.user, submission=submission)
    messages.info(request, message)
    return _back(submission, "data")


@login_required
def snapshot_detail(request: HttpRequest, submission_id: int, snapshot_id: int) -> HttpResponse:
    """One immutable snapshot, as stored."""
    submission = _visible(request, submission_id)
    snapshot = found(snapshot_get(submission=submission, pk=snapshot_id), _("Øyeblikksbildet finnes ikke."))
    return render(request, "web/submissions/snapshot.html", {"submission": submission, "snapshot": snapshot})
