"""Unit code changes across reforms: carrying observations keyed by old codes onto the units valid on a date.

Counts are summed (a split distributes the count by the split weights); rates are averaged with weights
(e.g. population of the old units; a split copies the rate to every new unit). Chains of changes compose:
0602 Drammen → 3005 Drammen (2020 merger) → 3301 Drammen (2024 recode).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import pyarrow as pa

from dugnad.analytics.report import InputError, ValidationReport


class ChangeKind(StrEnum):
    """Kind of a code-change event."""

    RECODE = "recode"
    MERGE = "merge"
    SPLIT = "split"
    RENAME = "rename"


class ValueKind(StrEnum):
    """How values combine when units are carried: counts add up, rates are weighted means."""

    COUNT = "count"
    RATE = "rate"


@dataclass(frozen=True)
class CodeChangeEvent:
    """One code change: the share ``weight`` of the old unit goes to the new unit on ``date``."""

    old_code: str
    new_code: str
    date: dt.date
    kind: ChangeKind = ChangeKind.RECODE
    weight: float = 1.0


class CodeHistory:
    """Code-change events indexed by date; answers which units a code has become by a date."""

    def __init__(self, events: Iterable[CodeChangeEvent]):
        by_date: dict[dt.date, dict[str, list[tuple[str, float]]]] = defaultdict(lambda: defaultdict(list))
        for e in events:
            by_date[e.date][e.old_code].append((e.new_code, e.weight))
        self.dates = sorted(by_date)
        self.by_date = {d: dict(by_date[d]) for d in self.dates}
        self._memo: dict[tuple[str, dt.date | None, dt.date], dict[str, float]] = {}

    def successors(self, code: str, *, on: dt.date, after: dt.date | None = None) -> dict[str, float]:
        """The codes valid on ``on`` that ``code`` (as valid after ``after``) became, each with its share."""
        key = (code, after, on)
        if key not in self._memo:
            current = {code: 1.0}
            for day in self.dates:
                if day > on:
                    break
                if after is not None and day <= after:
                    continue
                moves = self.by_date[day]
                nxt: dict[str, float] = defaultdict(float)
                for c, share in current.items():
                    for new, weight in moves.get(c, [(c, 1.0)]):
                        nxt[new] += share * weight
                current = dict(nxt)
            self._memo[key] = current
        return self._memo[key]


YEAR = re.compile(r"^(\d{4})")
_WHOLE_YEAR = re.compile(r"^\d{4}$")
_QUARTER = re.compile(r"^(\d{4})-?[QK]([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})(?:-|M)(\d{2})$")


def period_span(period: object) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a period: ``2019`` (a year), ``2019-06`` or ``2019M06`` (a month), ``2019Q2``,
    ``2019-Q2`` or ``2019K2`` (a quarter), ``2019-06-30`` (a day); other forms that start with a year (a range
    ``2016-2020``) are placed on their first day; None when the text is not a period."""
    text = str(period or "").strip()
    if _WHOLE_YEAR.match(text):
        return dt.date(int(text), 1, 1), dt.date(int(text), 12, 31)
    if match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        return _month_span(year, 3 * quarter - 2)[0], _month_span(year, 3 * quarter)[1]
    if (match := _MONTH.match(text)) and 1 <= int(match[2]) <= 12:
        return _month_span(int(match[1]), int(match[2]))
    match = YEAR.match(text)
    if not match:
        return None
    try:
        first = dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date(int(match[1]), 1, 1)
    except ValueError:
        first = dt.date(int(match[1]), 1, 1)
    return first, first


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def period_start(period: object) -> dt.date | None:
    """First day of a period: ``2019`` → 1 January, ``2019Q2``/``2019K2`` → 1 April, ``2019M07``/``2019-07``
    → 1 July, ``2019-07-15`` → that day, a range ``2016-2020`` → 1 January 2016; None if not a period."""
    span = period_span(period)
    return span[0] if span is not None else None


@dataclass
class _Group:
    total: float = 0.0
    weight: float = 0.0
    missing: bool = False
    statuses: set = field(default_factory=set)
    sources: set = field(default_factory=set)
    unweighted: set = field(default_factory=set)


@dataclass
class CarryResult:
    """Carried observations (tidy records with ``carried_from``), codes that did not reach a valid unit, problems."""

    records: list[dict]
    unmapped: list[str]
    report: ValidationReport

    def to_arrow(self) -> pa.Table:
        """The records as an Arrow table: unit, indicator, period, value, status, carried_from."""
        columns = ("unit", "indicator", "period", "value", "status", "carried_from")
        return pa.table({c: [r[c] for r in self.records] for c in columns}) if self.records else pa.table(
            {c: pa.array([], pa.float64() if c == "value" else pa.string()) for c in columns}
        )


def _rows(observations) -> list[dict]:
    if isinstance(observations, pa.Table):
        return observations.to_pylist()
    return list(observations)


def carry_observations(
    observations,
    events: Iterable[CodeChangeEvent] | CodeHistory,
    *,
    on: dt.date,
    kinds: ValueKind | Mapping[str, ValueKind] = ValueKind.COUNT,
    weights: Mapping[str, float] | None = None,
    valid_codes: Collection[str] | None = None,
) -> CarryResult:
    """Observations (Arrow table or records with unit, indicator, period, value[, status]) carried onto the
    units valid on ``on``. ``kinds`` says per indicator whether values are counts or rates; ``weights``
    (by old unit code, e.g. population) weight the rates, which are plain means without them."""
    history = events if isinstance(events, CodeHistory) else CodeHistory(events)
    report = ValidationReport(source="observations")
    groups: dict[tuple[str, str, str], _Group] = defaultdict(_Group)
    unmapped: set[str] = set()
    starts: dict[str, dt.date | None] = {}
    for i, row in enumerate(_rows(observations)):
        try:
            unit, indicator, period = str(row["unit"]), str(row["indicator"]), str(row["period"])
        except KeyError as exc:
            report.add(f"missing column {exc}", row=i + 1)
            continue
        if period not in starts:
            starts[period] = period_start(period)
        start = starts[period]
        if start is None:
            report.add("period does not start with a year", row=i + 1, column="period", value=period)
            continue
        value = row.get("value")
        if value is not None and not isinstance(value, int | float):
            report.add("value is not a number", row=i + 1, column="value", value=str(value))
            continue
        kind = kinds if isinstance(kinds, ValueKind) else kinds.get(indicator, ValueKind.COUNT)
        for new, share in history.successors(unit, on=on, after=start).items():
            if valid_codes is not None and new not in valid_codes:
                unmapped.add(unit)
                continue
            group = groups[(new, indicator, period)]
            group.sources.add(unit)
            group.statuses.add(row.get("status") or "ok")
            if value is None:
                group.missing = True
            elif kind is ValueKind.COUNT:
                group.total += value * share
            else:
                w = weights.get(unit) if weights is not None else 1.0
                if w is None:  # fine while this unit is the group's only source
                    group.unweighted.add(unit)
                    w = 1.0
                group.total += value * w * share
                group.weight += w * share
    records = []
    for (unit, indicator, period), g in sorted(groups.items()):
        kind = kinds if isinstance(kinds, ValueKind) else kinds.get(indicator, ValueKind.COUNT)
        if g.unweighted and len(g.sources) > 1:
            report.add(f"no weight for {', '.join(sorted(g.unweighted))} (needed to average into {unit})",
                       column="unit", value=indicator)
            continue
        value = None if g.missing else (g.total if kind is ValueKind.COUNT else (g.total / g.weight if g.weight else None))
        status = "missing" if value is None else ("provisional" if "provisional" in g.statuses else "ok")
        records.append({"unit": unit, "indicator": indicator, "period": period, "value": value, "status": status,
                        "carried_from": "+".join(sorted(g.sources))})
    if not report.ok:
        raise InputError(report)
    return CarryResult(records, sorted(unmapped), report)
