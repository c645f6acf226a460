"""Reads of persisted score runs: latest run, a unit's scores, roll-ups, peers and shared gaps."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable

from dugnad.analytics.gaps import SharedGap, shared_gaps
from dugnad.analytics.peers import DEFAULT_WEIGHTS, PeerSearch, similar_units
from dugnad.analytics.rollup import Goalpost, Member, RollupRow, Weighting, rollup
from dugnad.catalogue.models import Indicator, IndicatorSpec
from dugnad.catalogue.selectors import indicator_specs_in_force, is_county_level
from dugnad.scores.models import GoalScore, IndexScore, IndicatorScore, ScoreRun
from dugnad.units.models import Unit
from dugnad.units.selectors import populations

#: Unit attributes holding a peer group, in order of preference.
GROUP_ATTRIBUTES = ("kostra_group", "group")
#: Structural variables that are log-transformed before standardising (skewed).
LOG_VARIABLES = ("population", "density")


def latest_score_run(*, method: str | None = None) -> ScoreRun | None:
    """The newest finished score run (of the method, when given), or None."""
    runs = ScoreRun.objects.done().latest_first()
    if method:
        runs = runs.filter(method=method)
    return runs.first()


def _resolve(run: ScoreRun | None) -> ScoreRun | None:
    return run if run is not None else latest_score_run()


def unit_goal_scores(unit: Unit, run: ScoreRun | None = None) -> list[GoalScore]:
    """A unit's goal scores in the run (the latest by default), by goal number; empty without a run."""
    run = _resolve(run)
    return list(GoalScore.objects.filter(run=run, unit=unit).order_by("goal")) if run else []


def unit_indicator_scores(unit: Unit, run: ScoreRun | None = None) -> list[IndicatorScore]:
    """A unit's indicator scores in the run (the latest by default), by goal and indicator code."""
    run = _resolve(run)
    if run is None:
        return []
    rows = IndicatorScore.objects.filter(run=run, unit=unit).select_related("indicator")
    return sorted(rows, key=lambda r: (r.goal or 99, r.indicator.code))


def unit_index_score(unit: Unit, run: ScoreRun | None = None) -> IndexScore | None:
    """A unit's index score and rank in the run (the latest by default)."""
    run = _resolve(run)
    return IndexScore.objects.filter(run=run, unit=unit).first() if run else None


def population_year(run: ScoreRun | None) -> int:
    """The year whose population (1 January) weighs a run's roll-ups and shared gaps: the run's year, else this year."""
    return run.year if run is not None and run.year else dt.date.today().year


def current_units(date: dt.date | None = None) -> dict[int, Unit]:
    """Every unit valid on the date (today by default) with its level, by primary key (one query)."""
    return {u.pk: u for u in Unit.objects.valid_on(date or dt.date.today()).select_related("level")}


def subtree(unit: Unit, units: dict[int, Unit], year: int, people: dict[int, int | None] | None = None) -> list[Member]:
    """The unit and all its current descendants as roll-up members (codes, parents, populations of ``year``,
    read unless ``people`` already holds them by unit id)."""
    children: dict[int, list[Unit]] = {}
    for u in units.values():
        if u.parent_id in units:
            children.setdefault(u.parent_id, []).append(u)
    tree, stack = [(unit, None)], [unit]
    while stack:
        node = stack.pop()
        for child in children.get(node.pk, []):
            tree.append((child, node.code))
            stack.append(child)
    if people is None:
        people = populations([u for u, _ in tree], year)
    return [Member(u.code, parent, _as_float(people[u.pk]), u.name) for u, parent in tree]


def _goalpost(indicator: Indicator, spec: IndicatorSpec | None, of: str) -> Goalpost:
    if spec is None:
        return Goalpost(indicator=indicator.code)
    if of == "score":
        ub, lb, green = spec.upper_bound, spec.lower_bound, spec.green
        target = 100 * (green - lb) / (ub - lb) if None not in (ub, lb, green) and ub != lb else None  # type: ignore[operator]
        return Goalpost(indicator=indicator.code, target=target, target_source="green (normalised)" if target is not None else "")
    return Goalpost.from_spec(
        indicator.code, upper_bound=spec.upper_bound, lower_bound=spec.lower_bound, green=spec.green, red=spec.red,
        target=spec.target_2030, direction=spec.direction, aggregation=spec.aggregation,
    )  # fmt: skip


def run_values(run: ScoreRun, indicators: list[Indicator], *, of: str = "value",
               units: Iterable[int] | None = None) -> dict[int, dict[int, float | None]]:
    """The run's values (or scores) of the indicators for every unit (of the units by id, when given):
    ``{indicator id: {unit id: value}}`` (one query)."""
    out: dict[int, dict[int, float | None]] = {}
    rows = IndicatorScore.objects.filter(run=run, indicator__in=[i.pk for i in indicators])
    if units is not None:
        rows = rows.filter(unit__in=list(units))
    for indicator_id, unit_id, value in rows.values_list("indicator_id", "unit_id", of):
        out.setdefault(indicator_id, {})[unit_id] = value
    return out


def rollups_for(
    unit: Unit,
    indicators: list[Indicator],
    run: ScoreRun | None = None,
    *,
    weighting: Weighting | str = Weighting.POPULATION,
    basis: str = "leaves",
    of: str = "value",
    units: dict[int, Unit] | None = None,
    values: dict[int, dict[int, float | None]] | None = None,
    people: dict[int, int | None] | None = None,
    specs: dict | None = None,
) -> dict[int, RollupRow]:
    """The roll-ups of several indicators over the unit's current descendants, by indicator id, in a few queries.

    Members' values are those the run scored (the latest year up to the run's year, so members may
    differ in year); the unit's own value in the run is shown as the published value. Indicators
    without a roll-up (no run, fewer than two members) are left out. ``units`` (``current_units()``)
    ``values`` (``run_values()``), ``people`` (``populations()`` of the run's year) and ``specs``
    (``indicator_specs_in_force(indicators)``) may be passed in when the caller has them already.

    County-level indicators (``catalogue.selectors.is_county_level``: the counties report them, municipalities
    have none) are never rolled up from municipalities: a county has no roll-up of them (its own value is the
    figure), the country rolls them up from its counties.
    """
    run = _resolve(run)
    if run is None or of not in ("value", "score") or not indicators:
        return {}
    units = units if units is not None else current_units()
    members = subtree(unit, units, population_year(run), people)
    if len(members) < 2:
        return {}
    values = values if values is not None else run_values(run, indicators, of=of)
    specs = specs if specs is not None else indicator_specs_in_force(indicators)
    county_level = [i for i in indicators if is_county_level(specs.get(i.pk))]
    ordinary = [i for i in indicators if i not in county_level]
    out = _rolled(unit, ordinary, run, members, units, values, specs, weighting=weighting, basis=basis, of=of)
    if county_level and unit.level.code == "country":
        level_of = {u.code: u.level.code for u in units.values()}
        counties = [m for m in members if m.code == unit.code or level_of.get(m.code) == "county"]
        counties = [dataclasses.replace(m, parent=unit.code) if m.code != unit.code else m for m in counties]
        out.update(_rolled(unit, county_level, run, counties, units, values, specs, weighting=weighting,
                           basis="leaves", of=of))
    return out


#: Roll-ups already computed in this process (``kept_rollups``), by run, parent, options and inputs, then by indicator.
_kept: dict[tuple, dict[tuple, RollupRow | None]] = {}
#: How many (run, parent, options, inputs) sets ``_kept`` holds before it starts afresh: four times every parent of
#: the demo (15 counties and the country, ~8 MB for one run's dashboard roll-ups of all of them).
KEPT_MAX = 64


def kept_rollups(
    unit: Unit,
    indicators: list[Indicator],
    run: ScoreRun,
    *,
    units: dict[int, Unit],
    values: dict[int, dict[int, float | None]] | Callable[[], dict[int, dict[int, float | None]]],
    people: dict[int, int | None],
    specs: dict,
    weighting: Weighting | str = Weighting.POPULATION,
    basis: str = "leaves",
    of: str = "value",
) -> dict[int, RollupRow]:
    """``rollups_for`` of a finished run, computed once per process and then only read (the unit dashboard asks for
    the same county and country roll-ups on every request).

    A roll-up is kept under everything it is computed from: the run (its rows never change once done, and its
    fingerprint and finish time tell it from any later run under the same id; ``values`` must be its
    ``run_values``), the parent, the options, the current units (codes, parents, levels, names) and populations
    (``_registry_key``) and each indicator's code and spec in force. A new run, a changed registry, population
    figure or spec is a new key, so the figures are always those ``rollups_for`` gives; only the indicators not kept
    yet are computed. ``values`` may be a function that reads them: it is called only when something must be computed.
    """
    key = (run.pk, run.fingerprint, run.finished_at, run.year, unit.pk, str(weighting), basis, of,
           *_registry_key(units, people))
    kept = _kept.get(key)
    if kept is None:
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        kept = _kept[key] = {}

    def of_indicator(i: Indicator) -> tuple:
        s = specs.get(i.pk)
        return (i.pk, i.code) + ((s.pk, s.version, s.upper_bound, s.lower_bound, s.green, s.red, s.target_2030,
                                  s.direction, s.aggregation, s.applies_to) if s is not None else ())

    wanted = {i.pk: of_indicator(i) for i in indicators}
    missing = [i for i in indicators if wanted[i.pk] not in kept]
    if missing:
        rolled = rollups_for(unit, missing, run, weighting=weighting, basis=basis, of=of, units=units,
                             values=values() if callable(values) else values, people=people, specs=specs)
        kept.update({wanted[i.pk]: rolled.get(i.pk) for i in missing})
    return {pk: row for pk, ident in wanted.items() if (row := kept[ident]) is not None}


def _registry_key(units: dict[int, Unit], people: dict[int, int | None]) -> tuple[tuple, tuple, tuple]:
    """Everything a roll-up reads of the units and populations, exactly, as part of a ``kept_rollups`` key.

    The dicts are read in their own order, unsorted (``current_units`` orders by code, so the same registry gives
    the same key; the same units in another order only compute once more). A database marker such as
    ``registry_version`` would cost a round trip and miss a changed population figure or unit name.
    """
    rows = units.values()
    return (tuple((u.pk, u.code, u.parent_id, u.level_id, u.name) for u in rows),
            tuple({u.level_id: u.level.code for u in rows}.items()), tuple(people.items()))


def _rolled(unit: Unit, indicators: list[Indicator], run: ScoreRun, members: list[Member], units: dict[int, Unit],
            values: dict, specs: dict, *, weighting, basis: str, of: str) -> dict[int, RollupRow]:
    if not indicators or len(members) < 2:
        return {}
    codes = {u.pk: u.code for u in units.values()}
    wanted = {m.code for m in members}
    period = str(run.year) if run.year else "latest"
    rows = [(codes[unit_id], i.code, period, value) for i in indicators
            for unit_id, value in values.get(i.pk, {}).items() if codes.get(unit_id) in wanted]
    goalposts = {i.code: _goalpost(i, specs.get(i.pk), of) for i in indicators}
    by_code = {r.indicator: r for r in rollup(rows, members, weighting=weighting, basis=basis, parents=[unit.code],
                                              goalposts=goalposts)}  # fmt: skip
    return {i.pk: by_code[i.code] for i in indicators if i.code in by_code}


def rollup_for(
    unit: Unit,
    indicator: Indicator,
    run: ScoreRun | None = None,
    *,
    weighting: Weighting | str = Weighting.POPULATION,
    basis: str = "leaves",
    of: str = "value",
) -> RollupRow | None:
    """The roll-up of one indicator over the unit's current descendants (see ``rollups_for``), or None."""
    return rollups_for(unit, [indicator], run, weighting=weighting, basis=basis, of=of).get(indicator.pk)


def structural_profiles(units: list[Unit]) -> dict[str, dict[str, float | None]]:
    """The structural variables ``peers_for`` compares, of each unit by code (population of this year)."""
    return _profiles(units, dt.date.today().year)


def _profiles(units: list[Unit], year: int, people: dict[int, int | None] | None = None) -> dict[str, dict[str, float | None]]:
    """Structural variables: population on 1 January of ``year`` (units selectors; read unless ``people`` holds it
    for every unit), the others from unit attributes; density is population / area when not given."""
    if people is None or any(u.pk not in people for u in units):
        people = populations(units, year)
    out = {}
    for u in units:
        attrs = u.attributes
        profile = {v: _as_float(people[u.pk] if v == "population" else attrs.get(v)) for v in DEFAULT_WEIGHTS}
        area = _as_float(attrs.get("area"))
        if profile.get("density") is None and profile.get("population") and area:
            profile["density"] = profile["population"] / area  # type: ignore[operator]
        out[u.code] = profile
    return out


def _as_float(value: object) -> float | None:
    try:
        return None if value in (None, "") else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def unit_peer_group(unit: Unit) -> str | None:
    """The unit's peer group (e.g. KOSTRA group) from its attributes, or None."""
    return next((str(unit.attributes[a]) for a in GROUP_ATTRIBUTES if unit.attributes.get(a)), None)


def peers_for(
    unit: Unit, k: int = 5, *, weights: dict[str, float] | None = None, same_group: bool = False,
    units: dict[int, Unit] | None = None, profiles: dict[str, dict[str, float | None]] | None = None,
    people: dict[int, int | None] | None = None,
) -> PeerSearch | None:
    """The k current units of the same level most similar to the unit on structural attributes.

    Default weights: 1 for each of population, density, centrality and income that the unit has;
    population and density are log-transformed. None when the unit has none of the variables. A caller asking
    for many units may pass ``profiles`` (``structural_profiles`` of the level's units in ``units``); they are
    used only when they are exactly the candidates'. ``people`` may hold this year's populations by unit id
    (``populations``) when the caller has read them already.
    """
    units = units if units is not None else current_units()
    candidates = [u for u in units.values() if u.level_id == unit.level_id]
    if same_group and (group := unit_peer_group(unit)):
        candidates = [u for u in candidates if unit_peer_group(u) == group or u.pk == unit.pk]
    if all(u.pk != unit.pk for u in candidates):
        candidates.append(unit)
    if profiles is None or profiles.keys() != {u.code for u in candidates}:  # only the candidates' own profiles
        profiles = _profiles(candidates, dt.date.today().year, people)
    if weights is None:
        weights = {v: w for v, w in DEFAULT_WEIGHTS.items() if profiles[unit.code].get(v) is not None}
    if not weights:
        return None
    groups = {u.code: unit_peer_group(u) for u in candidates}
    return similar_units(profiles, unit.code, weights=weights, k=k, log=[v for v in LOG_VARIABLES if v in weights],
                         groups=groups)  # fmt: skip


def shared_gaps_for(
    parent: Unit, run: ScoreRun | None = None, *, min_share: float = 0.5, base: str = "members"
) -> list[SharedGap]:
    """Indicators where at least ``min_share`` of the parent's lowest-level members are red or orange, by population."""
    run = _resolve(run)
    if run is None:
        return []
    members = subtree(parent, current_units(), population_year(run))
    has_children = {m.parent for m in members if m.parent}
    leaves = [m for m in members if m.code not in has_children and m.code != parent.code]
    if not leaves:
        return []
    codes = [m.code for m in leaves]
    rows = IndicatorScore.objects.filter(run=run, unit__code__in=codes).values_list("unit__code", "indicator_id", "colour")
    colours = [(code, str(indicator_id), colour) for code, indicator_id, colour in rows]
    gaps = shared_gaps(colours, codes, populations={m.code: m.population for m in leaves}, min_share=min_share, base=base)
    names = dict(Indicator.objects.filter(pk__in=[int(g.indicator) for g in gaps]).values_list("pk", "code"))
    return [dataclasses.replace(g, indicator=names.get(int(g.indicator), g.indicator)) for g in gaps]


def run_goal_scores(run: ScoreRun, *, units: Iterable | None = None) -> list[GoalScore]:
    """The goal scores of a run (of the given units, objects or ids, when given), with their unit, by unit code and
    goal."""
    scores = GoalScore.objects.filter(run=run).select_related("unit", "unit__level")
    if units is not None:
        scores = scores.filter(unit__in=[getattr(u, "pk", u) for u in units])
    return list(scores.order_by("unit__code", "goal"))


def run_index_scores(run: ScoreRun, *, units: Iterable | None = None) -> dict[int, IndexScore]:
    """The index scores of a run by unit id (of the given units when given)."""
    scores = IndexScore.objects.filter(run=run)
    if units is not None:
        scores = scores.filter(unit__in=[getattr(u, "pk", u) for u in units])
    return {s.unit_id: s for s in scores}
