"""Web views of rounds: list, open a round, the coordinator's overview (with CSV export) and closing."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dugnad.accounts.permissions import can_manage_round, units_round_scopes_for
from dugnad.analytics.report import InputError
from dugnad.catalogue.models import Framework
from dugnad.catalogue.selectors import framework_get, frameworks_all
from dugnad.rounds.models import Round
from dugnad.rounds.selectors import (
    round_counties,
    round_get,
    round_is_visible,
    round_overview,
    rounds_visible_to,
    submissions_editable_by,
)
from dugnad.rounds.services import round_close, round_open
from dugnad.rounds.vocab import SubmissionState
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


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    """The coordinator's overview: units × status with counts, overdue units and filters."""
    round_ = _visible_round(request, round_id)
    form = OverviewFilterForm(request.GET or None, counties=round_counties(round_, user=request.user))
    county = size = ""
    if form.is_valid():
        county, size = form.cleaned_data["fylke"], form.cleaned_data["storrelse"]
    rows, counts = round_overview(round_, user=request.user, county=county, size=size)
    matrix: dict[str, dict[str, int]] = {}
    for row in rows:
        matrix.setdefault(row.county, {s.value: 0 for s in SubmissionState})[row.submission.state] += 1
    return render(request, "web/rounds/detail.html", {
        "round": round_, "rows": rows, "count_rows": [(s, counts[s.value]) for s in SubmissionState],
        "states": list(SubmissionState), "form": form,
        "matrix": sorted(matrix.items()), "overdue": [r for r in rows if r.overdue],
        "can_manage": can_manage_round(request.user, round_), "query": request.GET.urlencode(),
    })


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
    """Close the round (snapshots of every submission)."""
    round_ = _visible_round(request, round_id)
    round_close(user=request.user, round_=round_)
    messages.success(request, _("Runden er lukket, og et øyeblikksbilde av hver innlevering er lagret."))
    return redirect("round-detail", round_id=round_.pk)
