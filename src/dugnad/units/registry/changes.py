"""Code-change events from Klass change lists: classified as recode/merge/split/rename, with split weights."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from dugnad.units.registry.snapshot import ChangeRecord

RECODE, MERGE, SPLIT, RENAME = "recode", "merge", "split", "rename"
WHOLE, POPULATION, EQUAL, MUNICIPALITIES = "whole", "population", "equal", "municipalities"


@dataclass(frozen=True)
class RawChange:
    """One entry of a Klass change list: old code and name, new code and name, date the change occurred."""

    old_code: str
    old_name: str
    new_code: str
    new_name: str
    date: str


def change_type(change: RawChange, *, news_of_old: int, olds_of_new: int) -> str:
    """The kind of a change: split if the old code goes to several new codes, merge if several old codes
    go into the new one, rename if only the name changed, recode otherwise."""
    if news_of_old > 1:
        return SPLIT
    if olds_of_new > 1:
        return MERGE
    if change.old_code == change.new_code:
        return RENAME
    return RECODE


def _rounded(shares: list[float]) -> list[float]:
    """Shares rounded to 6 decimals, the last one adjusted so that they sum to exactly 1."""
    rounded = [round(s, 6) for s in shares[:-1]]
    return [*rounded, round(1 - sum(rounded), 6)]


def split_weights(
    old: str, news: list[str], *, clean: bool, population: Callable[[str], float | None], fallback: tuple[str, list[float]]
) -> tuple[str, list[float]]:
    """Shares of an old unit carried to each new one: by the new units' population when every new unit comes
    only from this old one and all populations are known, else the fallback (basis, shares)."""
    if clean:
        pops = [population(code) for code in news]
        if all(p is not None and p > 0 for p in pops):
            total = float(sum(pops))  # type: ignore[arg-type]
            return POPULATION, _rounded([p / total for p in pops])  # type: ignore[operator]
    return fallback


def _at(population: Callable[[str, str], float | None], date: str, code: str) -> float | None:
    return population(code, date)


def change_records(
    changes: Iterable[RawChange],
    *,
    level: str,
    population: Callable[[str, str], float | None] = lambda code, date: None,
    flow_counts: Mapping[tuple[str, str, str], int] | None = None,
) -> list[ChangeRecord]:
    """Classified change records with weights; ``population(code, date)`` gives the residents of a new unit on
    the change date; ``flow_counts`` (old, new, date) → count gives the fallback split shares (basis
    "municipalities"), otherwise splits fall back to equal shares."""
    by_date: dict[str, list[RawChange]] = defaultdict(list)
    for change in changes:
        by_date[change.date].append(change)
    records = []
    for date in sorted(by_date):
        group = by_date[date]
        news_of: dict[str, list[str]] = defaultdict(list)
        olds_of: dict[str, list[str]] = defaultdict(list)
        for c in group:
            news_of[c.old_code].append(c.new_code)
            olds_of[c.new_code].append(c.old_code)
        weights: dict[tuple[str, str], tuple[str, float]] = {}
        for old, news in news_of.items():
            if len(news) == 1:
                continue
            clean = all(olds_of[n] == [old] for n in news)
            if flow_counts is not None:
                counts = [flow_counts.get((old, n, date), 1) for n in news]
                fallback = (MUNICIPALITIES, _rounded([c / sum(counts) for c in counts]))
            else:
                fallback = (EQUAL, _rounded([1 / len(news)] * len(news)))
            basis, shares = split_weights(old, news, clean=clean, population=partial(_at, population, date),
                                          fallback=fallback)
            weights.update({(old, n): (basis, s) for n, s in zip(news, shares, strict=True)})
        for c in sorted(group, key=lambda c: (c.old_code, c.new_code)):
            kind = change_type(c, news_of_old=len(news_of[c.old_code]), olds_of_new=len(olds_of[c.new_code]))
            basis, weight = weights.get((c.old_code, c.new_code), (WHOLE, 1.0))
            records.append(ChangeRecord(kind, level, date, c.old_code, c.old_name, c.new_code, c.new_name, weight, basis))
    return records


def county_flows(changes: Iterable[RawChange], *, unchanged: Callable[[str, str], int]) -> dict[tuple[str, str, str], int]:
    """County flows (old county, new county, date) → number of old municipalities, on the dates a municipality
    moved between counties; ``unchanged(county, date)`` counts the county's municipalities that kept their
    code (they stay in the county: they count towards its own share when it loses municipalities, and make
    a county that gains municipalities a merger with itself, not a new county)."""
    flows: dict[tuple[str, str, str], int] = defaultdict(int)
    for c in changes:
        flows[(c.old_code[:2], c.new_code[:2], c.date)] += 1
    crossing = {(o, d) for (o, n, d) in flows if o != n}
    gaining = {(n, d) for (o, n, d) in flows if o != n}
    result = {key: count for key, count in flows.items() if (key[0], key[2]) in crossing}
    for o, d in crossing:
        kept = unchanged(o, d)
        if kept:
            result[(o, o, d)] = result.get((o, o, d), 0) + kept
    for n, d in gaining - crossing:
        kept = unchanged(n, d)
        if kept:
            result[(n, n, d)] = result.get((n, n, d), 0) + kept
    return dict(sorted(result.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])))


def county_changes(
    changes: list[RawChange],
    *,
    name: Callable[[str, str, bool], str],
    unchanged: Callable[[str, str], int],
    population: Callable[[str, str], float | None] = lambda code, date: None,
) -> list[ChangeRecord]:
    """County change records derived from municipality changes (the first two digits of a code are the county)."""
    flows = county_flows(changes, unchanged=unchanged)
    raw = [RawChange(o, name(o, d, True), n, name(n, d, False), d) for (o, n, d) in flows]
    return change_records(raw, level="county", population=population, flow_counts=flows)
