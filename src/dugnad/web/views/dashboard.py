"""The unit dashboard: goal scores and colours, indicators with trends, county and national roll-ups and peers.

Scores come from the latest finished score run, read in one batch by ``dugnad.scores.dashboard``; without
a run the page says so and shows the stored values with their direction of change instead.
"""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dugnad.accounts.permissions import can_view_unit
from dugnad.scores.dashboard import unit_dashboard as dashboard_of
from dugnad.units.selectors import unit_current


@login_required
def unit_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's dashboard (readable by anyone who may see the unit)."""
    unit = unit_current(code)
    if unit is None:
        raise Http404(_("Ukjent enhet"))
    if not can_view_unit(request.user, unit):
        raise PermissionDenied(_("Du har ikke tilgang til denne enheten."))
    board = dashboard_of(unit)
    return render(request, "web/dashboard/unit.html", {
        "unit": board.unit, "run": board.run, "scores": [asdict(s) for s in board.scores], "lines": board.lines,
        "peers": board.peers, "trends": board.trends,
    })
