"""Web views of rounds: list, open a round, the coordinator's overview (with CSV export) and closing."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dugnad.accounts.permissions import can_manage_round, units_round_scopes_for
from dugnad.analytics.report import InputError
from dugnad.catalogue.models import Framework
from dugnad.catalogue.selectors import framework_get, frameworks_all
from dugnad.rounds.models import Round
from dugnad.rounds.reminders import round_remind, round_reminders
from dugnad.rounds.selectors import (
    round_counties,
    round_get,
    round_is_visible,
    round_overview,
    round_state_counts,
    rounds_visible_to,
    submissions_editable_by,
)
from dugnad.rounds.services import round_close, round_open, round_reopen
from dugnad.rounds.vocab import RoundState, SubmissionState
from dugnad.web.params import int_param
from dugnad.web.views.round_forms import OverviewFilterForm, RoundOpenForm

DEMO_FRAMEWORK = "dugnad-demo"


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """Rounds the user can see, and the user's own submissions."""
    rounds = rounds_visible_to(request.user)
    mine = submissions_editable_by(request.user)
    return render(request, "web/rounds/list.html", {
        "rounds": rounds, "mine": mine, "can_open": units_round_scopes_for(request.user).exists(),
    })


def _framework(request: HttpRequest) -> Framework | None:
    """The framework chosen for the indicator list (``?rammeverk=``; the demo framework, else the first)."""
    code = request.GET.get("rammeverk") or request.POST.get("rammeverk")
    return (framework_get(code) if code else None) or framework_get(DEMO_FRAMEWORK) or frameworks_all().first()


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    """Open a round: form on GET, the round on a valid POST (403 for users who may open no round)."""
    scopes = list(units_round_scopes_for(request.user).select_related("level"))
    if not scopes:
        raise PermissionDenied(_("Du kan ikke åpne rapporteringsrunder."))
    if request.method == "POST" and request.POST.get("scope") not in {str(u.pk) for u in scopes}:
        raise PermissionDenied(_("Du kan ikke åpne runder for denne enheten."))
    framework = _framework(request)
    form = RoundOpenForm(request.POST or None, scopes=scopes, framework=framework)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scope = next(u for u in scopes if str(u.pk) == data["scope"])
        try:
            round_ = round_open(user=request.user, scope_unit=scope, title=data["title"], year=data["year"],
                                deadline=data["deadline"], indicators=data["indicators"], chapters=data["chapters"],
                                questions=data["questions"])
        except InputError as exc:
            for problem in exc.report.errors:
                form.add_error(None, f"{problem.column}: {problem.reason}")
        else:
            messages.success(request, _("Runden er åpnet med %(n)d deltakere.") % {"n": round_.submissions.count()})
            return redirect("round-detail", round_id=round_.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "web/rounds/new.html", {
        "form": form, "framework": framework, "frameworks": frameworks_all(),
    }, status=status)


def _visible_round(request: HttpRequest, round_id: int) -> Round:
    """The round (404 when there is none); 403 when the user may not see it."""
    round_ = round_get(round_id)
    if round_ is None:
        raise Http404(_("Runden finnes ikke."))
    if not round_is_visible(round_, user=request.user):
        raise PermissionDenied(_("Du har ikke tilgang til denne runden."))
    return round_


PAGE_SIZE = 100


def _overview_context(request: HttpRequest, round_: Round) -> dict:
    """The overview's filters, status counts, clickable county × status matrix and one page (≤ 100) of units."""
    form = OverviewFilterForm(request.GET or None, counties=round_counties(round_, user=request.user))
    county = size = state = ""
    overdue_only = False
    if form.is_valid():
        county, size = form.cleaned_data["fylke"], form.cleaned_data["storrelse"]
        state, overdue_only = form.cleaned_data["status"], form.cleaned_data["forsinket"]
    rows, counts = round_overview(round_, user=request.user, county=county, size=size)
    names = dict(round_counties(round_, user=request.user))
    matrix: dict[str, dict[str, int]] = {}
    for row in rows:
        matrix.setdefault(row.county, {s.value: 0 for s in SubmissionState})[row.submission.state] += 1
    overdue = [r for r in rows if r.overdue]
    shown = [r for r in rows if (not state or r.submission.state == state) and (not overdue_only or r.overdue)]
    page = Paginator(shown, PAGE_SIZE).get_page(int_param(request.GET, "side", default=1, minimum=1))
    base = {k: v for k, v in request.GET.items() if k != "side" and v}
    return {
        "round": round_, "form": form, "page": page, "rows": page.object_list, "shown": len(shown),
        "count_rows": [(s, counts[s.value]) for s in SubmissionState], "states": list(SubmissionState),
        "matrix": [(code, names.get(code, code) or _("Nasjonalt (landet)"), by_state)
                   for code, by_state in sorted(matrix.items())],
        "overdue_count": len(overdue), "filters": base, "query": urlencode(base),
        "can_manage": can_manage_round(request.user, round_),
        "state_counts": round_state_counts(round_) if round_.state == RoundState.OPEN else None,
    }


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    """The coordinator's overview: status counts, a clickable county × status matrix and a filtered, paged list."""
    round_ = _visible_round(request, round_id)
    return render(request, "web/rounds/detail.html", _overview_context(request, round_))


@login_required
def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    """The overview as CSV (same filters as the page)."""
    round_ = _visible_round(request, round_id)
    rows, _counts = round_overview(round_, user=request.user, county=request.GET.get("fylke", ""),
                                   size=request.GET.get("storrelse", ""))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="runde-{round_.pk}-status.csv"'
    writer = csv.writer(response)
    writer.writerow(["unit", "name", "county", "size", "status", "overdue", "submitted_at", "approved_at"])
    for r in rows:
        s = r.submission
        stamps = [t.isoformat() if t else "" for t in (s.submitted_at, s.approved_at)]
        writer.writerow([s.unit.code, s.unit.name, r.county, r.size, s.state, "yes" if r.overdue else "no", *stamps])
    return response


@login_required
@require_POST
def round_close_view(request: HttpRequest, round_id: int) -> HttpResponse:
    """Close the round when the coordinator typed its title; otherwise the overview again with the error (still open)."""
    round_ = _visible_round(request, round_id)
    try:
        round_close(user=request.user, round_=round_, confirmation=request.POST.get("confirmation", ""))
    except InputError as exc:
        context = _overview_context(request, round_)
        context.update(close_error=exc.report.errors[0].reason, typed=request.POST.get("confirmation", ""))
        return render(request, "web/rounds/detail.html", context, status=422)
    messages.success(request, _("Runden er lukket, og et øyeblikksbilde av hver innlevering er lagret."))
    return redirect("round-detail", round_id=round_.pk)


@login_required
@require_POST
def round_reopen_view(request: HttpRequest, round_id: int) -> HttpResponse:
    """Reopen a closed round with a reason (kept in the audit log)."""
    round_ = _visible_round(request, round_id)
    try:
        round_reopen(user=request.user, round_=round_, reason=request.POST.get("reason", ""))
    except InputError as exc:
        context = _overview_context(request, round_)
        context.update(reopen_error=exc.report.errors[0].reason)
        return render(request, "web/rounds/detail.html", context, status=422)
    messages.success(request, _("Runden er gjenåpnet. Innleveringene kan endres igjen."))
    return redirect("round-detail", round_id=round_.pk)


@login_required
def round_reminders_view(request: HttpRequest, round_id: int) -> HttpResponse:
    """Reminders: a preview of every e-mail on GET, sending on POST (the round's coordinators only)."""
    round_ = _visible_round(request, round_id)
    if not can_manage_round(request.user, round_):
        raise PermissionDenied(_("Du kan ikke sende påminnelser for denne runden."))
    if request.method == "POST":
        result = round_remind(round_=round_, user=request.user)
        messages.success(request, _("Sendte %(sent)d påminnelser til %(units)d enheter.") % {
            "sent": result.sent, "units": len(result.units)})
        if result.without_address:
            messages.warning(request, _("%(n)d enheter har ingen redaktør med e-postadresse og fikk ingen påminnelse.")
                             % {"n": len(result.without_address)})
        return redirect("round-detail", round_id=round_.pk)
    preview = round_reminders(round_=round_)
    page = Paginator(preview.reminders, PAGE_SIZE).get_page(int_param(request.GET, "side", default=1, minimum=1))
    return render(request, "web/rounds/reminders.html", {
        "round": round_, "preview": preview, "page": page, "first": preview.reminders[0] if preview.reminders else None,
    })
