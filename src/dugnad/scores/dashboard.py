"""The unit dashboard as one batched read: goal scores, indicator lines beside county, country and peers, trends.

Everything the page shows comes from a fixed number of queries (units, run, specs, the run's values of
the unit's indicators, goals, the unit's scores, its observations), whatever the number of indicators or units:
the roll-ups and the peers' mean are computed from rows already read. The county and country roll-ups are computed
once per score run and inputs in a process and then only read (``scores.selectors.kept_rollups``); the run's values
of every unit are read only then, else those of the units compared with (peers, counties, the county's municipalities).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dugnad.analytics.scoring.types import Colour, Trend
from dugnad.catalogue.selectors import goals_by_number, indicator_specs_in_force
from dugnad.observations.selectors import unit_series_carried
from dugnad.scores.models import GoalScore, ScoreRun
from dugnad.scores.selectors import (
    current_units,
    kept_rollups,
    latest_score_run,
    peers_for,
    population_year,
    run_values,
    unit_goal_scores,
    unit_indicator_scores,
)
from dugnad.units.models import Unit
from dugnad.units.selectors import populations_in_years


def score_label(enum, value: str) -> str:
    """The Norwegian or English label of a colour or trend code ('' when unknown)."""
    try:
        member = enum(value)
    except ValueError:
        return ""
    return member.label_en if (get_language() or "nb").startswith("en") else member.label_nb


@dataclass
class GoalLine:
    """One goal on the dashboard: its score, colour and trend in the run."""

    goal: int
    name: str
    score: float | None
    colour: str
    colour_label: str
    trend: str
    trend_code: str = ""


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
    comparisons: list[float | None] = field(default_factory=list)


@dataclass
class UnitDashboard:
    """What the unit dashboard shows."""

    unit: Unit
    run: ScoreRun | None
    scores: list[GoalLine] = field(default_factory=list)
    lines: list[IndicatorLine] = field(default_factory=list)
    peers: list[tuple[str, str]] = field(default_factory=list)
    trends: list[dict] = field(default_factory=list)
    comparison_labels: list[str] = field(default_factory=list)


def indicator_trends(unit: Unit, *, on: dt.date | None = None) -> list[dict]:
    """Each indicator of the unit with its last six current values (oldest first) and the direction of change.

    The series are carried across reforms onto the unit (``observations.selectors.unit_series_carried``): a
    value stored under a predecessor's code is shown with its origin («videreført fra 3001 Halden»)."""
    lang = (get_language() or "nb")[:2]
    series: dict[str, dict] = {}
    for row in unit_series_carried(unit, on=on or dt.date.today(), lang=lang):
        if row["value"] is None:
            continue
        entry = series.setdefault(row["code"], {"code": row["code"], "name": row["name"], "points": []})
        entry["points"].append((row["period"], row["value"], row["origin"]))
    out = []
    for entry in series.values():
        points = entry["points"][-6:]
        change = points[-1][1] - points[0][1] if len(points) > 1 else None
        arrow = "–" if change is None else ("↑" if change > 0 else "↓" if change < 0 else "→")
        out.append({**entry, "points": points, "latest": points[-1], "change": change, "arrow": arrow})
    return out


def _goal_lines(scores: list[GoalScore]) -> list[GoalLine]:
    goals = goals_by_number()
    return [GoalLine(goal=s.goal, name=goals[s.goal].name_nb if s.goal in goals else "", score=s.score,
                     colour=s.colour or "grey", colour_label=score_label(Colour, s.colour or "grey"),
                     trend=score_label(Trend, s.trend) if s.trend else "", trend_code=s.trend or "")
            for s in scores]  # fmt: skip


def unit_dashboard(unit: Unit, *, units: dict[int, Unit] | None = None) -> UnitDashboard:
    """The unit's dashboard from the latest finished score run (without a run: its trends only). ``units`` may hold
    ``current_units()`` when the caller has read them already."""
    units = units if units is not None else current_units()
    run = latest_score_run()
    this_year = dt.date.today().year
    # this year's populations for the peers, the run's year's for the roll-ups: read at once
    people = populations_in_years(units.values(), {this_year, population_year(run)})
    search = peers_for(unit, units=units, people=people[this_year])
    peer_codes = [p.unit for p in search.peers] if search else []
    names = {u.code: u.name for u in units.values()}
    board = UnitDashboard(unit=unit, run=run, peers=[(code, names.get(code, "")) for code in peer_codes],
                          trends=indicator_trends(unit))
    if run is None:
        return board
    board.scores = _goal_lines(unit_goal_scores(unit, run))
    own = unit_indicator_scores(unit, run)
    indicators = [s.indicator for s in own]
    country = next((u for u in units.values() if u.level.rank == 0), None)
    specs = indicator_specs_in_force(indicators)  # once for both roll-ups (one query fewer)
    read: list[dict] = []

    def every_value() -> dict[int, dict[int, float | None]]:  # only when a roll-up is not kept yet: once
        if not read:
            read.append(run_values(run, indicators))
        return read[0]

    rolled = {  # computed once per run and inputs in the process, then read (``kept_rollups``)
        attr: kept_rollups(parent, indicators, run, units=units, values=every_value,
                           people=people[population_year(run)], specs=specs)
        if parent is not None and parent.pk != unit.pk else {}
        for attr, parent in (("county", units.get(unit.parent_id)), ("country", country))
    }
    peer_ids = {u.pk for u in units.values() if u.code in set(peer_codes)}
    level = unit.level.code
    counties = {u.pk for u in units.values() if u.level.code == "county"}
    municipalities = {u.pk for u in units.values() if u.level.code == "municipality"}
    inside = {u.pk for u in units.values() if u.parent_id == unit.pk}
    # the values compared with: every unit's when they were read for a roll-up, else only those shown (one query)
    compared = None if level == "country" else counties | inside if level == "county" else peer_ids
    values = read[0] if read else run_values(run, indicators, units=compared)

    def median(indicator_id: int, ids: set[int]) -> float | None:
        found = [v for unit_id, v in values.get(indicator_id, {}).items() if unit_id in ids and v is not None]
        return statistics.median(found) if found else None

    # What the unit is compared with depends on its level: a municipality with its county, the country and
    # similar municipalities; a county with the country, the other counties and its own municipalities;
    # the country with its counties and its municipalities.
    if level == "country":
        board.comparison_labels = [_("Fylkene (median)"), _("Kommunene (median)")]
    elif level == "county":
        board.comparison_labels = [_("Landet"), _("Fylkene (median)"), _("Kommunene i fylket (median)")]
    else:
        board.comparison_labels = [_("Fylket"), _("Landet"), _("Lignende kommuner")]
    for s in own:
        line = IndicatorLine(code=s.indicator.code, name=s.indicator.name_nb, year=s.year, value=s.value, score=s.score,
                             colour=s.colour or "grey", colour_label=score_label(Colour, s.colour or "grey"),
                             trend=score_label(Trend, s.trend) if s.trend else "", trend_code=s.trend or "")
        for attr, rows in rolled.items():
            row = rows.get(s.indicator_id)
            setattr(line, attr, row.value if row else None)
        peer_values = [v for unit_id, v in values.get(s.indicator_id, {}).items() if unit_id in peer_ids and v is not None]
        line.peers = statistics.fmean(peer_values) if peer_values else None
        if level == "country":
            line.comparisons = [median(s.indicator_id, counties), median(s.indicator_id, municipalities)]
        elif level == "county":
            line.comparisons = [line.country, median(s.indicator_id, counties), median(s.indicator_id, inside)]
        else:
            line.comparisons = [line.county, line.country, line.peers]
        board.lines.append(line)
    return board
