"""Effect follow-up of a joint action: gathers each targeted indicator's carried series for the partner units and
for similar units that are not partners, and compares them with ``dugnad.analytics.effects`` (a documented, simple
difference-in-differences that never claims causality).

The partner units are the action's units in any role (lead, partner, funder), compared level by level: partner
municipalities beside similar municipalities, partner counties beside similar counties. The comparison group is
the union of each partner unit's ``k`` most similar units of its level (``dugnad.scores.selectors.peers_for``:
population, density, centrality, income), less the partners. Values are the stored totals carried onto today's
units across reforms (``observations_carried``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyarrow.compute as pc

from dugnad.actions.models import Action
from dugnad.analytics.effects import EffectComparison, effect_compare
from dugnad.catalogue.models import Indicator
from dugnad.catalogue.selectors import indicator_specs_in_force
from dugnad.observations.selectors import indicator_labels, observations_carried
from dugnad.scores.selectors import current_units, peers_for
from dugnad.units.models import Unit

#: Similar units taken per partner unit.
PEERS_PER_PARTNER = 5
#: Order of the levels in the result.
LEVEL_ORDER = ("municipality", "county", "country")
#: Why an action has no comparison at all.
NO_START, NO_INDICATORS, NO_UNITS = "no_start", "no_indicators", "no_units"


@dataclass(frozen=True)
class IndicatorEffect:
    """The comparison of one targeted indicator at one level of partner units."""

    indicator: Indicator
    level: str
    expected: str
    direction: str | None
    unit_of_measure: str
    comparison: EffectComparison
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionEffects:
    """An action's effect follow-up: one comparison per targeted indicator and partner level, or why there is none."""

    action: Action
    rows: list[IndicatorEffect] = field(default_factory=list)
    reason: str = ""
    peers_per_partner: int = PEERS_PER_PARTNER

    @property
    def start(self) -> dt.date | None:
        """The action's start date."""
        return self.action.start


def _comparison_units(partners: list[Unit], units: dict[int, Unit], k: int) -> list[str]:
    """The union of each partner's k most similar units of its level, less the partners, by code."""
    mine = {u.code for u in partners}
    found: dict[str, None] = {}
    for unit in partners:
        search = peers_for(unit, k=k, units=units)
        for peer in search.peers if search is not None else ():
            if peer.unit not in mine:
                found.setdefault(peer.unit)
    return sorted(found)


def _series(codes: list[str], indicators: list[Indicator], on: dt.date) -> tuple[dict, set[str]]:
    """{(indicator label, unit): {period: value}} of the totals carried onto ``on``, and the labels with demo values."""
    table = observations_carried(on=on, units=codes, indicators=indicators, with_provenance=True).table
    fixed = {"unit", "indicator", "period", "value", "status", "carried_from", "carry_weighting", "is_demo"}
    for dim in (c for c in table.column_names if c not in fixed):
        table = table.filter(pc.equal(table.column(dim), ""))
    out: dict[tuple[str, str], dict[str, float | None]] = {}
    demo: set[str] = set()
    for row in table.select(["unit", "indicator", "period", "value", "is_demo"]).to_pylist():
        out.setdefault((row["indicator"], row["unit"]), {})[row["period"]] = row["value"]
        if row["is_demo"]:
            demo.add(row["indicator"])
    return out, demo


def action_effects(action: Action, *, k: int = PEERS_PER_PARTNER, on: dt.date | None = None) -> ActionEffects:
    """The effect follow-up of an action: for each targeted indicator and level of partner units, the partners'
    values before and after the start beside similar non-partner units, compared (see the module docstring)."""
    out = ActionEffects(action=action, peers_per_partner=k)
    links = list(action.indicator_links.select_related("indicator").order_by("indicator__code"))
    partners = [p.unit for p in action.partners.select_related("unit__level") if p.unit_id is not None]
    if action.start is None:
        out.reason = NO_START
        return out
    if not links:
        out.reason = NO_INDICATORS
        return out
    if not partners:
        out.reason = NO_UNITS
        return out
    on = on or dt.date.today()
    units = current_units(on)
    by_level: dict[str, list[Unit]] = {}
    for unit in partners:
        by_level.setdefault(unit.level.code, []).append(unit)
    levels = sorted(by_level, key=lambda c: (LEVEL_ORDER.index(c) if c in LEVEL_ORDER else 99, c))
    compared = {level: _comparison_units(by_level[level], units, k) for level in levels}
    indicators = [link.indicator for link in links]
    codes = sorted({u.code for u in partners} | {c for cs in compared.values() for c in cs})
    series, demo = _series(codes, indicators, on)
    labels = indicator_labels()
    specs = indicator_specs_in_force(indicators, on=on)
    names = {u.code: u.name for u in units.values() if u.code in codes} | {u.code: u.name for u in partners}
    for link in links:
        ind, label = link.indicator, labels.get(link.indicator_id, link.indicator.code)
        spec = specs.get(ind.pk)
        direction = spec.direction if spec is not None else None
        for level in levels:
            mine = {u.code: series.get((label, u.code), {}) for u in by_level[level]}
            others = {c: series.get((label, c), {}) for c in compared[level]}
            result = effect_compare(mine, others, start=action.start, direction=direction,
                                    is_demo=action.is_demo or label in demo)
            out.rows.append(IndicatorEffect(
                indicator=ind, level=level, expected=link.direction, direction=direction,
                unit_of_measure=(spec.unit_of_measure if spec is not None else "") or ind.unit_of_measure,
                comparison=result, names={c: names.get(c, c) for c in [*mine, *others]}))
    return out
