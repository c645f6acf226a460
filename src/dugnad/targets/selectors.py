"""Reads of local targets: targets in force, history, and the ambition gap of a unit against its members' targets.

The members' targets are rolled up with the platform's roll-up (``dugnad.analytics.rollup.rollup``) over the unit's
lowest-level members: population-weighted means for rates, plain sums for counts (the indicator's ``aggregation``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from dugnad.analytics.report import InputError
from dugnad.analytics.rollup import Aggregation, Direction, Goalpost, RollupRow, Weighting, rollup
from dugnad.catalogue.models import Indicator
from dugnad.catalogue.selectors import indicator_specs_current, indicator_specs_in_force
from dugnad.scores.models import IndicatorScore, ScoreRun
from dugnad.scores.selectors import current_units, latest_score_run, subtree
from dugnad.targets.models import LocalTarget
from dugnad.targets.vocab import DEFAULT_TARGET_YEAR
from dugnad.units.models import Unit

#: Columns of ``dugnad targets gap``.
GAP_COLUMNS = ("indicator", "own_target", "members_target", "gap", "member_coverage", "population_coverage",
               "members", "members_with_target", "aggregation", "weighting", "direction", "year")
#: Columns of ``dugnad targets members``.
MEMBER_COLUMNS = ("indicator", "member", "name", "target", "population", "weight", "contribution", "share")
#: Columns of ``dugnad targets distance``.
DISTANCE_COLUMNS = ("indicator", "unit", "name", "target", "value", "value_year", "distance", "direction")
#: Columns of ``dugnad targets list``.
TARGET_COLUMNS = ("unit", "indicator", "year", "value", "version", "source", "reference", "rationale", "created_by",
                  "created_at")


def targets_in_force(*, unit: Unit | None = None, year: int | None = DEFAULT_TARGET_YEAR):
    """Targets in force (of the unit, of the year when given), by unit and indicator code."""
    rows = LocalTarget.objects.in_force().select_related("unit", "indicator", "created_by")
    if unit is not None:
        rows = rows.filter(unit=unit)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("unit__code", "indicator__code", "year")


def targets_listed(*, units: list[str] | None = None, indicators: list[int] | None = None, year: int | None = None,
                   history: bool = False):
    """Targets of every unit (in force; every version with ``history``), of the unit codes, indicator ids and year
    when given, by unit, indicator, year and newest version first: the open data list."""
    rows = LocalTarget.objects.all() if history else LocalTarget.objects.in_force()
    if units is not None:
        rows = rows.filter(unit__code__in=units)
    if indicators is not None:
        rows = rows.filter(indicator_id__in=indicators)
    if year is not None:
        rows = rows.filter(year=year)
    return (rows.select_related("unit", "indicator", "indicator__framework", "created_by")
            .order_by("unit__code", "indicator__code", "year", "-version"))


def target_versions(*, unit: Unit, year: int | None = DEFAULT_TARGET_YEAR):
    """Every version of every target of the unit (for the year; every year with None), by indicator code and year,
    newest version first."""
    rows = LocalTarget.objects.filter(unit=unit).select_related("unit", "indicator", "indicator__framework",
                                                                "created_by")
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("indicator__code", "year", "-version")


@dataclass(frozen=True)
class TargetHistory:
    """One target of a unit (indicator and year) with every version, newest (the one in force) first."""

    indicator: Indicator
    year: int
    versions: tuple[LocalTarget, ...]

    @property
    def current(self) -> LocalTarget | None:
        """The version in force (None when every version is superseded)."""
        return next((v for v in self.versions if v.superseded_at is None), None)


def target_histories(unit: Unit) -> list[TargetHistory]:
    """The unit's targets of every year, one per indicator and year, each with its versions newest first."""
    grouped: dict[tuple[int, int], list[LocalTarget]] = {}
    for t in target_versions(unit=unit, year=None):
        grouped.setdefault((t.indicator_id, t.year), []).append(t)
    return [TargetHistory(rows[0].indicator, rows[0].year, tuple(rows)) for rows in grouped.values()]


def target_indicators(unit: Unit | None = None) -> list[Indicator]:
    """Indicators a target can be set for: those with a specification in force (they have a direction), and any
    the unit already has a target for; by framework and code."""
    chosen = {s.indicator_id: s.indicator for s in indicator_specs_current(on=dt.date.today())}
    if unit is not None:
        chosen.update({t.indicator_id: t.indicator for t in LocalTarget.objects.filter(unit=unit)
                       .select_related("indicator", "indicator__framework")})
    return sorted(chosen.values(), key=lambda i: (i.framework.code, i.code))


def target_indicator(pk) -> Indicator | None:
    """An indicator a target can be set for, by primary key (None when unknown or without a specification)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return next((i for i in target_indicators() if i.pk == pk), None)


def target_history(unit: Unit, indicator: Indicator, year: int = DEFAULT_TARGET_YEAR) -> list[LocalTarget]:
    """Every version of the unit's target for the indicator and year, newest first."""
    return list(LocalTarget.objects.filter(unit=unit, indicator=indicator, year=year).order_by("-version"))


def target_row(t: LocalTarget) -> tuple:
    """A row of ``TARGET_COLUMNS``."""
    return (t.unit.code, t.indicator.code, t.year, t.value, t.version, t.source, t.reference, t.rationale,
            t.created_by.get_username() if t.created_by else "", t.created_at.isoformat(timespec="seconds"))


@dataclass(frozen=True)
class MemberShare:
    """One member's target and how much of the rolled-up target it carries."""

    member: str
    name: str
    target: float | None
    population: float | None
    weight: float
    contribution: float | None
    share: float | None


@dataclass(frozen=True)
class AmbitionGap:
    """A unit's own target against the roll-up of its members' targets for one indicator and year."""

    indicator: Indicator
    year: int
    own_target: float | None
    members_target: float | None
    gap: float | None
    members: int
    members_with_target: int
    population_coverage: float | None
    aggregation: Aggregation
    weighting: Weighting
    direction: Direction
    shares: tuple[MemberShare, ...] = ()

    @property
    def member_coverage(self) -> float | None:
        """Share of the members that have a target (by count)."""
        return self.members_with_target / self.members if self.members else None

    def row(self) -> tuple:
        """A row of ``GAP_COLUMNS``."""
        return (self.indicator.code, self.own_target, self.members_target, self.gap, self.member_coverage,
                self.population_coverage, self.members, self.members_with_target, self.aggregation.value,
                self.weighting.value, self.direction.value, self.year)


def _shares(row: RollupRow, names: dict[str, str]) -> tuple[MemberShare, ...]:
    """Each member's part of the rolled-up target: weight × target for means, the target itself for sums."""
    p = row.parts
    if p is None:
        return ()
    out = []
    for code, value, population, weight in zip(p.codes, p.values, p.populations, p.weights, strict=True):
        part = None if value is None else (value if row.aggregation is Aggregation.SUM else weight * value)
        share = part / row.value if part is not None and row.value else None
        out.append(MemberShare(code, names.get(code, ""), value, population, weight, part, share))
    return tuple(out)


def ambition_gaps(unit: Unit, *, year: int = DEFAULT_TARGET_YEAR, indicators: list[Indicator] | None = None,
                  population_year: int | None = None) -> list[AmbitionGap]:
    """The ambition gap of every indicator with a target in force on the unit or any of its lowest-level members.

    ``gap`` is the unit's own target minus the members' rolled-up target, in the indicator's direction: positive when
    the members' targets together fall short of the unit's, negative when they go beyond it; empty when either is
    missing. Weighting is by population (``populations`` of ``population_year``, this year by default); when a
    member's population is unknown the roll-up falls back to the unweighted mean and says so.
    """
    units = current_units()
    members = subtree(unit, units, population_year or dt.date.today().year)
    codes = [m.code for m in members]
    names = {m.code: m.name for m in members}
    targets = LocalTarget.objects.in_force().filter(year=year, unit__code__in=codes).select_related("unit", "indicator")
    if indicators is not None:
        targets = targets.filter(indicator__in=indicators)
    targets = [t for t in targets if t.unit_id in units]
    by_indicator: dict[int, Indicator] = {t.indicator_id: t.indicator for t in targets}
    specs = indicator_specs_in_force(list(by_indicator.values()))
    period = str(year)
    values = [(t.unit.code, t.indicator.code, period, t.value) for t in targets]
    own = {t.indicator_id: t.value for t in targets if t.unit_id == unit.pk}
    goalposts = {}
    for pk, ind in by_indicator.items():
        spec = specs.get(pk)
        post = Goalpost.from_spec(ind.code, upper_bound=spec.upper_bound, lower_bound=spec.lower_bound, green=spec.green,
                                  red=spec.red, direction=spec.direction, aggregation=spec.aggregation) if spec else \
            Goalpost(indicator=ind.code)
        goalposts[ind.code] = dataclasses.replace(post, target=own.get(pk), target_source="local" if pk in own else "")
    rows: dict[str, RollupRow] = {}
    weighting = Weighting.POPULATION
    if len(members) > 1 and values:
        try:
            found = rollup(values, members, weighting=weighting, goalposts=goalposts, parents=[unit.code])
        except InputError:
            weighting = Weighting.NONE
            found = rollup(values, members, weighting=weighting, goalposts=goalposts, parents=[unit.code])
        rows = {r.indicator: r for r in found}
    out = []
    for pk, ind in sorted(by_indicator.items(), key=lambda item: item[1].code):
        post, row = goalposts[ind.code], rows.get(ind.code)
        leaves = [m for m in members if m.code != unit.code and m.code not in {x.parent for x in members}]
        out.append(AmbitionGap(
            indicator=ind, year=year, own_target=own.get(pk), members_target=row.value if row else None,
            gap=row.rollup_gap if row else None, members=row.members if row else len(leaves),
            members_with_target=row.members_with_data if row else 0,
            population_coverage=row.population_coverage if row else None, aggregation=post.aggregation,
            weighting=weighting, direction=post.direction, shares=_shares(row, names) if row else (),
        ))
    return out


@dataclass(frozen=True)
class Distance:
    """How far one unit's latest value is from its own target."""

    indicator: str
    unit: str
    name: str
    target: float
    value: float | None
    value_year: int | None
    distance: float | None
    direction: Direction
    indicator_name: str = ""
    is_demo: bool = False

    def row(self) -> tuple:
        """A row of ``DISTANCE_COLUMNS``."""
        return (self.indicator, self.unit, self.name, self.target, self.value, self.value_year, self.distance,
                self.direction.value)


def distances_to_target(unit: Unit, *, year: int = DEFAULT_TARGET_YEAR, run: ScoreRun | None = None,
                        descendants: bool = True) -> list[Distance]:
    """Distance to target of the unit and (unless ``descendants`` is false) each of its current descendants that has
    a target in force for ``year``.

    The value is the one the score run (the latest by default) used; ``distance`` = target − value when higher is
    better, value − target when lower is better: > 0 is what is still to go, ≤ 0 means the target is reached.
    """
    if descendants:
        units = current_units()
        codes = {m.code: m.name for m in subtree(unit, units, dt.date.today().year, people=dict.fromkeys(units))}
        found = LocalTarget.objects.in_force().filter(year=year, unit__code__in=codes)
    else:
        units, codes = {unit.pk: unit}, {unit.code: unit.name}
        found = LocalTarget.objects.in_force().filter(year=year, unit=unit)
    targets = [t for t in found.select_related("unit", "indicator") if t.unit_id in units]
    if not targets:  # one query for a unit without targets (the dashboard and the public unit page ask every time)
        return []
    specs = indicator_specs_in_force({t.indicator for t in targets})
    run = run if run is not None else latest_score_run()
    scored: dict[tuple[int, int], tuple[float | None, int | None]] = {}
    if run is not None:
        rows = IndicatorScore.objects.filter(run=run, unit__in={t.unit_id for t in targets},
                                             indicator__in={t.indicator_id for t in targets})
        scored = {(u, i): (v, y) for u, i, v, y in rows.values_list("unit_id", "indicator_id", "value", "year")}
    out = []
    for t in sorted(targets, key=lambda t: (t.indicator.code, t.unit.code)):
        spec = specs.get(t.indicator_id)
        direction = Direction(spec.direction) if spec is not None and spec.direction else Direction.HIGHER
        value, value_year = scored.get((t.unit_id, t.indicator_id), (None, None))
        distance = None if value is None else (t.value - value if direction is Direction.HIGHER else value - t.value)
        out.append(Distance(t.indicator.code, t.unit.code, codes[t.unit.code], t.value, value, value_year, distance,
                            direction, t.indicator.name_nb, t.is_demo))
    return out


def targets_first_set(unit_ids) -> dict[int, dt.datetime]:
    """Per unit id: when it first set a target of its own (any indicator, year or version; demo targets count)."""
    out: dict[int, dt.datetime] = {}
    for unit_id, created in (LocalTarget.objects.filter(unit_id__in=list(unit_ids))
                             .values_list("unit_id", "created_at").order_by("created_at")):
        out.setdefault(unit_id, created)
    return out


def targets_include_demo(unit: Unit) -> bool:
    """Whether a demo target is in force on the unit or any unit up to two levels below it."""
    return LocalTarget.objects.in_force().filter(is_demo=True).filter(
        Q(unit=unit) | Q(unit__parent=unit) | Q(unit__parent__parent=unit)).exists()
