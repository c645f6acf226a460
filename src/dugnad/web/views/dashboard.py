"""The unit dashboard: goal scores and colours, indicators with trends, comparisons at the unit's level and peers.

Scores come from the latest finished score run, read in one batch by ``dugnad.scores.dashboard``; without
a run the page says so and shows the stored values with their direction of change instead. The charts use
the publications' Vega-Lite specs (``dugnad.publications.charts``), drawn in the browser with a table beside.
"""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dugnad.accounts.permissions import can_view_unit
from dugnad.analytics.maps.spec import number_text
from dugnad.analytics.scoring.types import Colour
from dugnad.observations.provenance import banner_text, mix_of
from dugnad.observations.selectors import unit_value_provenances
from dugnad.publications.charts import bar_spec, line_spec
from dugnad.scores.dashboard import score_label
from dugnad.scores.dashboard import unit_dashboard as dashboard_of
from dugnad.scores.selectors import current_units
from dugnad.targets.selectors import distances_to_target
from dugnad.web.figures import Cell, Column, Figure, TableAlternative

#: The legend's colours, best first, and what each means for one indicator.
LEGEND = ("green", "yellow", "orange", "red", "grey")


def _web(spec: dict) -> dict:
    """The publication's spec, as wide as the page's column (the PDF keeps its fixed width)."""
    return {**spec, "width": "container", "autosize": {"type": "fit-x", "contains": "padding"}}


def _lang() -> str:
    return (get_language() or "nb")[:2]


def goal_chart(scores) -> Figure | None:
    """The goal scores as the publications' bar chart, with the scores and colours as a table."""
    rows = [s for s in scores if s.score is not None]
    if not rows:
        return None
    lang = _lang()
    title = _("Poeng per bærekraftsmål (0–100)")
    spec = _web(bar_spec(title=title, rows=[{"label": f"{s.goal} {s.name}", "value": round(s.score, 1)} for s in rows],
                         x_title=_("Poeng")))
    alt = _("Søylediagram, poeng per mål: %(parts)s.") % {
        "parts": "; ".join(f"{s.goal} {s.name} {number_text(s.score, lang=lang)} ({s.colour_label.lower()})" for s in rows)}
    table = TableAlternative(caption=title, caption_id="goal-chart-table", columns=[
        Column(_("Mål")), Column(_("Poeng"), numeric=True), Column(_("Farge"))], rows=[
        [Cell(f"{s.goal} {s.name}"), Cell(number_text(s.score, lang=lang), numeric=True), Cell(s.colour_label)]
        for s in rows])
    return Figure(kind="chart", dom_id="goal-chart", title=title, alt=alt, spec=spec, table=table, size="compact")


def trend_chart(trends: list[dict], code: str) -> tuple[Figure | None, dict | None]:
    """The chosen indicator's series (the first when ``code`` is unknown) as the publications' line chart."""
    chosen = next((t for t in trends if t["code"] == code), trends[0] if trends else None)
    if chosen is None or len(chosen["points"]) < 2:
        return None, chosen
    lang = _lang()
    title = f"{chosen['code']} {chosen['name']}"
    series = [{"series": _("Enheten"), "period": str(p), "value": v} for p, v, _o in chosen["points"]]
    spec = _web(line_spec(title=title, series=series, unit_of_measure=""))
    alt = _("Linjediagram, %(title)s: %(parts)s.") % {
        "title": title, "parts": "; ".join(f"{p} {number_text(v, lang=lang)}" for p, v, _o in chosen["points"])}
    table = TableAlternative(caption=title, caption_id="trend-chart-table", columns=[
        Column(_("År")), Column(_("Verdi"), numeric=True)], rows=[
        [Cell(f"{p} ({o})" if o else str(p)), Cell(number_text(v, lang=lang), numeric=True)]
        for p, v, o in chosen["points"]])
    return Figure(kind="chart", dom_id="trend-chart", title=title, alt=alt, spec=spec, table=table, size="compact"), chosen


@login_required
def unit_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's dashboard (readable by anyone who may see the unit)."""
    units = current_units()  # the page's unit and every unit it is compared with, in one query
    unit = next((u for u in units.values() if u.code == code), None)
    if unit is not None and unit.parent_id in units:
        unit.parent = units[unit.parent_id]
    if unit is None:
        raise Http404(_("Ukjent enhet"))
    if not can_view_unit(request.user, unit):
        raise PermissionDenied(_("Du har ikke tilgang til dashbordet for %(unit)s. Du kan se enhetene du har en rolle i.")
                               % {"unit": unit.name})
    board = dashboard_of(unit, units=units)
    chart, chosen = trend_chart(board.trends, request.GET.get("indikator", ""))
    # each value's provenance (observations.provenance): demo values get the demo label, real sources are listed
    found = unit_value_provenances(unit, [(line.code, str(line.year or "")) for line in board.lines])
    for line in board.lines:
        line.provenance = found.get((line.code, str(line.year or "")))
    sources = sorted({p.reference(_lang()) for p in found.values() if p.kind == "real"})
    context = {
        "unit": board.unit, "run": board.run, "scores": [asdict(s) for s in board.scores], "lines": board.lines,
        "peers": board.peers, "trends": board.trends, "comparison_labels": board.comparison_labels,
        "goal_chart": goal_chart(board.scores), "trend_chart": chart, "chosen": chosen,
        "legend": [(c, score_label(Colour, c)) for c in LEGEND], "lang": _lang(), "value_sources": sources,
        "target_distances": distances_to_target(unit, descendants=False, run=board.run),
    }
    if found:  # else the installation's banner (web.context)
        context["demo_banner"] = banner_text(mix_of(found.values()), _lang())
    return render(request, "web/dashboard/unit.html", context)
