"""The unit dashboard: goal scores and colours, indicators with trends, county and national roll-ups and peers.

Scores come from the latest finished score run (``dugnad.dashboards.selectors``); without a run the
page says so and shows the stored values with their direction of change instead.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dugnad.accounts.permissions import can_view_unit
from dugnad.analytics.scoring.types import Colour, Trend
from dugnad.catalogue.models import Goal
from dugnad.dashboards.models import IndicatorScore
from dugnad.dashboards.selectors import latest_score_run, peers_for, rollup_for, unit_goal_scores, unit_indicator_scores
from dugnad.observations.models import Observation
from dugnad.units.models import Unit
from dugnad.units.selectors import unit_current


def _label(enum, value: str) -> str:
    """The Norwegian or English label of a colour or trend code ('' when unknown)."""
    try:
        member = enum(value)
    except ValueError:
        return ""
    return member.label_en if (get_language() or "nb").startswith("en") else member.label_nb


@dataclass
class IndicatorLine:
    """One indicator on the dashboard: the unit's value and score beside roll-ups and the peers' mean."""

    code: str
    name: str
    year: int | None
    value: float | None
    score: float | None
    colour: str
    colour_label: str
    trend: str
    trend_code: str = ""
    county: float | None = None
    country: float | None = None
    peers: float | None = None


def indicator_trends(unit) -> list[dict]:
    """Each indicator of the unit with its last six current values (oldest first) and the direction of change."""
    series: dict[int, dict] = {}
    rows = (
        Observation.objects.current().filter(unit=unit, dimension_key="").exclude(value=None)
        .select_related("indicator").order_by("indicator__code", "period")
    )
    for obs in rows:
        entry = series.setdefault(obs.indicator_id, {"code": obs.indicator.code, "name": obs.indicator.name_nb, "points": []})
        entry["points"].append((obs.period, obs.value))
    out = []
    for entry in series.values():
        points = entry["points"][-6:]
        change = points[-1][1] - points[0][1] if len(points) > 1 else None
        arrow = "–" if change is None else ("↑" if change > 0 else "↓" if change < 0 else "→")
        out.append({**entry, "points": points, "latest": points[-1], "change": change, "arrow": arrow})
    return out


def _indicator_lines(unit: Unit, run) -> list[IndicatorLine]:
    """The unit's indicator scores in the run with county, national and peer figures beside them."""
    country = Unit.objects.current().filter(level__rank=0).first()
    search = peers_for(unit)
    peer_codes = [p.unit for p in search.peers] if search else []
    peer_values: dict[int, list[float]] = {}
    for indicator_id, value in IndicatorScore.objects.filter(run=run, unit__code__in=peer_codes).exclude(value=None) \
            .values_list("indicator_id", "value"):
        peer_values.setdefault(indicator_id, []).append(value)
    lines = []
    for s in unit_indicator_scores(unit, run):
        line = IndicatorLine(code=s.indicator.code, name=s.indicator.name_nb, year=s.year, value=s.value, score=s.score,
                             colour=s.colour or "grey", colour_label=_label(Colour, s.colour or "grey"),
                             trend=_label(Trend, s.trend) if s.trend else "", trend_code=s.trend or "")
        for attr, parent in (("county", unit.parent), ("country", country)):
            if parent is not None and parent.pk != unit.pk:
                row = rollup_for(parent, s.indicator, run)
                setattr(line, attr, row.value if row else None)
        if peer_values.get(s.indicator_id):
            line.peers = statistics.fmean(peer_values[s.indicator_id])
        lines.append(line)
    return lines


@login_required
def unit_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's dashboard (readable by anyone who may see the unit)."""
    unit = unit_current(code)
    if unit is None:
        raise Http404(_("Ukjent enhet"))
    if not can_view_unit(request.user, unit):
        raise PermissionDenied(_("Du har ikke tilgang til denne enheten."))
    run = latest_score_run()
    goals = {g.number: g for g in Goal.objects.all()}
    scores = [
        {"goal": s.goal, "name": goals[s.goal].name_nb if s.goal in goals else "", "score": s.score,
         "colour": s.colour or "grey", "colour_label": _label(Colour, s.colour or "grey"),
         "trend": _label(Trend, s.trend) if s.trend else "", "trend_code": s.trend or ""}
        for s in unit_goal_scores(unit, run)
    ] if run else []
    search = peers_for(unit)
    names = dict(Unit.objects.current().filter(code__in=[p.unit for p in search.peers]).values_list("code", "name")) \
        if search else {}
    return render(request, "web/dashboard/unit.html", {
        "unit": unit, "run": run, "scores": scores, "lines": _indicator_lines(unit, run) if run else [],
        "peers": [(p.unit, names.get(p.unit, "")) for p in search.peers] if search else [],
        "trends": indicator_trends(unit),
    })
