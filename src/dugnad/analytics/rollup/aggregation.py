"""The roll-up computation: weighted means, coverage, published values and gap contributions per parent."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.analytics.rollup.tree import UnitTree
from dugnad.analytics.rollup.types import Aggregation, Basis, Direction, Goalpost, Member, MemberParts, RollupRow, Weighting

Key = tuple[str, str, str]  # (unit, indicator, period)


def _index_values(values: Iterable[tuple[str, str, str, float | None]]) -> dict[Key, float | None]:
    """Values by (unit, indicator, period); duplicates and non-finite numbers are errors."""
    report = ValidationReport(source="values")
    out: dict[Key, float | None] = {}
    for unit, indicator, period, value in values:
        key = (str(unit), str(indicator), str(period))
        if key in out:
            report.add(f"more than one value for unit {key[0]}, indicator {key[1]}, period {key[2]}")
        if value is not None and not math.isfinite(value):
            report.add(f"unit {key[0]}, indicator {key[1]}, period {key[2]}: value is not a finite number", value=str(value))
        out[key] = None if value is None else float(value)
    if not report.ok:
        raise InputError(report)
    return out


def rollup(
    values: Iterable[tuple[str, str, str, float | None]],
    members: Sequence[Member],
    *,
    weighting: Weighting | str,
    basis: Basis | str = Basis.LEAVES,
    goalposts: Mapping[str, Goalpost] | None = None,
    parents: Iterable[str] | None = None,
) -> list[RollupRow]:
    """The roll-up rows of every parent (or of the given parents) for every (indicator, period) in the values.

    ``values`` are ``(unit, indicator, period, value)`` tuples (value None = no data); the values of
    parents themselves are their published figures. ``weighting`` must be given explicitly.
    """
    weighting, basis = Weighting(weighting), Basis(basis)
    tree = UnitTree(members)
    indexed = _index_values(values)
    goalposts = goalposts or {}
    wanted = set(parents) if parents is not None else None
    if wanted is not None and (unknown := sorted(wanted - set(tree.members))):
        report = ValidationReport(source="parents")
        for code in unknown:
            report.add("parent is not a known unit", value=code)
        raise InputError(report)
    if weighting is Weighting.POPULATION:
        _require_populations(tree, basis)
    by_series: dict[tuple[str, str], dict[str, float | None]] = {}
    for (unit, indicator, period), value in indexed.items():
        by_series.setdefault((indicator, period), {})[unit] = value
    rows: list[RollupRow] = []
    rolled: dict[tuple[str, str], dict[str, float | None]] = {}  # series → {parent: roll-up} (children basis)
    for parent in tree.parents:
        codes = tree.leaves(parent) if basis is Basis.LEAVES else sorted(tree.children[parent])
        pops = [tree.population(code) for code in codes]
        nested = [basis is Basis.CHILDREN and code in tree.children for code in codes]
        for key in sorted(by_series):
            own, done = by_series[key], rolled.get(key, {})
            member_values = [done.get(c) if n else own.get(c) for c, n in zip(codes, nested, strict=True)]
            if all(v is None for v in member_values) and parent not in own:
                continue
            row = _rollup_one(parent, key, codes, pops, member_values, own.get(parent), weighting, basis, goalposts)
            rolled.setdefault(key, {})[parent] = row.value
            if wanted is None or parent in wanted:
                rows.append(row)
    return sorted(rows, key=lambda r: (tree.depth(r.parent), r.parent, r.indicator, r.period))


def _require_populations(tree: UnitTree, basis: Basis) -> None:
    report = ValidationReport(source="units")
    for parent in tree.parents:
        codes = tree.leaves(parent) if basis is Basis.LEAVES else tree.children[parent]
        for code in codes:
            if tree.population(code) is None:
                report.add(f"unit {code}: population is needed for a population-weighted roll-up", column="population")
    if not report.ok:
        report.problems = list(dict.fromkeys(report.problems))
        raise InputError(report)


def _rollup_one(parent, key, codes, pops, member_values, published, weighting, basis, goalposts) -> RollupRow:
    """One roll-up row from the members' values (None = no data) and populations, in member order."""
    indicator, period = key
    present = [i for i, v in enumerate(member_values) if v is not None]
    raw = [float(pops[i]) for i in present] if weighting is Weighting.POPULATION else [1.0] * len(present)
    total = sum(raw)
    weights = [0.0] * len(codes)
    for i, w in zip(present, raw, strict=True):
        weights[i] = w / total if total > 0 else 0.0
    post = goalposts.get(indicator) or Goalpost(indicator=indicator)
    if post.aggregation is Aggregation.SUM:
        value = float(sum(member_values[i] for i in present)) if present else None
    else:
        value = sum(weights[i] * member_values[i] for i in present) if present and total > 0 else None
    known = None not in pops
    population = float(sum(pops)) if known else None
    population_with_data = float(sum(pops[i] for i in present)) if known else None
    shortfalls: list[float | None] = [None] * len(codes)
    gap = rollup_gap = None
    if post.target is not None:
        sign = 1.0 if post.direction is Direction.HIGHER else -1.0
        for i in present:
            d = sign * (post.target - member_values[i])
            shortfalls[i] = d if d > 0 else 0.0
        if value is not None:
            gap = sum(weights[i] * shortfalls[i] for i in present)  # type: ignore[operator]
            rollup_gap = sign * (post.target - value)
    return RollupRow(
        parent=parent, indicator=indicator, period=period, weighting=weighting, basis=basis, value=value,
        published=published, members=len(codes), members_with_data=len(present), population=population,
        population_with_data=population_with_data, direction=post.direction, target=post.target,
        target_source=post.target_source, gap=gap, rollup_gap=rollup_gap, aggregation=post.aggregation,
        parts=MemberParts(codes, member_values, pops, weights, shortfalls),
    )  # fmt: skip
