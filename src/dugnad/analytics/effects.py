"""Effect follow-up of a joint action: an indicator before and after the action's start, partners beside similar units.

A simple, documented difference-in-differences that never claims causality:

1. Each period is *before* the start when it ends before the start date, *after* when it begins on or after it;
   a period that spans the start (the start year of an action that starts on 1 September) is left out.
2. Each unit's mean before and mean after are the means of its values on that side (missing years are skipped).
   A unit with no value on one side is left out of the comparison (and named).
3. A group's mean before (after) is the mean of its units' means; its change is ``mean after − mean before``,
   which equals the mean of its units' changes.
4. The difference-in-differences is the partners' change minus the comparison group's change.
5. How sure: with fewer than ``min_units`` units on either side, «too few units to say anything»; otherwise the
   difference is set beside the spread of the units' changes (standard error
   ``sqrt(s_p²/n_p + s_c²/n_c)``, sample standard deviations): a difference within two standard errors is
   «within the usual variation between units». Even a larger difference does not show that the action caused it.

The pre-period trend of each group (the least-squares slope of its yearly means before the start) is shown,
not tested: parallel trends are assumed, never checked. Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from dugnad.analytics.codes import period_span
from dugnad.analytics.report import InputError, ValidationReport

#: Fewer units than this on either side and the comparison says «for få enheter til å si noe».
MIN_UNITS = 3
#: A difference larger than this many standard errors is «beyond the usual variation between units».
SPREAD_FACTOR = 2.0
#: Below this absolute value a difference counts as no change.
TOLERANCE = 1e-9

#: Unit series: unit code → {period → value (None for a missing value)}.
Series = Mapping[str, Mapping[str, float | None]]


class Side(StrEnum):
    """Where a period falls beside the action's start."""

    BEFORE = "before"
    AFTER = "after"
    SPANNING = "spanning"  # begins before the start and ends on or after it: left out


class Group(StrEnum):
    """The two groups compared."""

    PARTNERS = "partners"
    COMPARISON = "comparison"


class Outcome(StrEnum):
    """Whether the difference-in-differences is in the good direction of the indicator's specification."""

    BETTER = "better"
    WORSE = "worse"
    UNCHANGED = "unchanged"
    UNKNOWN = "unknown"  # no difference computed, or the direction is unknown


class Reading(StrEnum):
    """How sure the comparison can be, from the number of units and the spread of their changes."""

    NO_DATA = "no_data"  # no partner unit has values both before and after
    NO_COMPARISON = "no_comparison"  # no comparison unit has values both before and after
    TOO_FEW = "too_few"  # fewer than MIN_UNITS units in a group
    WITHIN_VARIATION = "within_variation"  # |difference| ≤ SPREAD_FACTOR standard errors
    BEYOND_VARIATION = "beyond_variation"  # larger, yet no proof that the action caused it


class Caveat(StrEnum):
    """What the reader should keep in mind about one comparison (every comparison gets the first two)."""

    NOT_CAUSAL = "not_causal"
    TRENDS_NOT_TESTED = "trends_not_tested"
    FEW_UNITS = "few_units"
    NO_COMPARISON = "no_comparison"
    UNITS_LEFT_OUT = "units_left_out"
    SPANNING_LEFT_OUT = "spanning_left_out"
    SHORT_AFTER = "short_after"  # one period or none after the start
    DIRECTION_UNKNOWN = "direction_unknown"
    DEMO = "demo"


@dataclass(frozen=True)
class UnitChange:
    """One unit's mean before and after the start, the periods behind each, and whether it is compared."""

    unit: str
    group: Group
    before: float | None
    after: float | None
    periods_before: tuple[str, ...]
    periods_after: tuple[str, ...]

    @property
    def used(self) -> bool:
        """Whether the unit has values on both sides and so takes part in the comparison."""
        return self.before is not None and self.after is not None

    @property
    def change(self) -> float | None:
        """Mean after − mean before, or None when a side is missing."""
        return self.after - self.before if self.used else None  # type: ignore[operator]


@dataclass(frozen=True)
class YearMean:
    """The mean of a group's compared units in one period, and how many units had a value."""

    period: str
    side: Side
    mean: float
    units: int


@dataclass(frozen=True)
class GroupSummary:
    """One group's side of the comparison: units, periods, means, change, spread and pre-period trend."""

    group: Group
    units: int
    left_out: tuple[str, ...]
    periods_before: int
    periods_after: int
    mean_before: float | None
    mean_after: float | None
    sd_change: float | None
    pre_trend: float | None
    yearly: tuple[YearMean, ...]

    @property
    def change(self) -> float | None:
        """The group's mean after − mean before (None without compared units)."""
        if self.mean_before is None or self.mean_after is None:
            return None
        return self.mean_after - self.mean_before


@dataclass(frozen=True)
class EffectComparison:
    """The difference-in-differences of one indicator for one action, with how sure it can be and its caveats."""

    start: dt.date
    direction: str | None
    partners: GroupSummary
    comparison: GroupSummary
    did: float | None
    standard_error: float | None
    outcome: Outcome
    reading: Reading
    caveats: tuple[Caveat, ...]
    units: tuple[UnitChange, ...]
    spanning: tuple[str, ...]


def period_side(period: str, start: dt.date) -> Side | None:
    """Whether the period lies before the start (it ends before it), after it (it begins on or after it), or spans
    it; None when it is not a period."""
    span = period_span(period)
    if span is None:
        return None
    first, last = span
    if last < start:
        return Side.BEFORE
    if first >= start:
        return Side.AFTER
    return Side.SPANNING


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _sd(values: list[float]) -> float | None:
    """Sample standard deviation (n − 1); None for fewer than two values."""
    if len(values) < 2:
        return None
    m = sum(values) / len(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


def _slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (x, y) points; None for fewer than two distinct x."""
    if len({x for x, _ in points}) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def _unit_changes(series: Series, group: Group, start: dt.date, spanning: set[str],
                  report: ValidationReport) -> list[UnitChange]:
    out = []
    for unit in sorted(series):
        sides: dict[Side, list[tuple[str, float]]] = {Side.BEFORE: [], Side.AFTER: []}
        for period, value in sorted(series[unit].items()):
            side = period_side(period, start)
            if side is None:
                report.add(f"unit {unit}: not a period", column="period", value=str(period))
                continue
            if value is None or (isinstance(value, float) and not math.isfinite(value)):
                continue
            if side is Side.SPANNING:
                spanning.add(period)
                continue
            sides[side].append((period, float(value)))
        before, after = sides[Side.BEFORE], sides[Side.AFTER]
        out.append(UnitChange(unit=unit, group=group, before=_mean([v for _, v in before]),
                              after=_mean([v for _, v in after]), periods_before=tuple(p for p, _ in before),
                              periods_after=tuple(p for p, _ in after)))
    return out


def _summary(group: Group, changes: list[UnitChange], series: Series, start: dt.date) -> GroupSummary:
    used = [c for c in changes if c.used]
    by_period: dict[str, list[float]] = {}
    for c in used:
        for period in (*c.periods_before, *c.periods_after):
            value = series[c.unit][period]
            by_period.setdefault(period, []).append(float(value))  # type: ignore[arg-type]
    yearly = tuple(YearMean(period=p, side=period_side(p, start) or Side.SPANNING, mean=sum(v) / len(v), units=len(v))
                   for p, v in sorted(by_period.items()))
    pre = [(float(period_span(y.period)[0].year), y.mean) for y in yearly if y.side is Side.BEFORE]  # type: ignore[index]
    return GroupSummary(
        group=group, units=len(used), left_out=tuple(c.unit for c in changes if not c.used),
        periods_before=len({p for c in used for p in c.periods_before}),
        periods_after=len({p for c in used for p in c.periods_after}),
        mean_before=_mean([c.before for c in used]),  # type: ignore[misc]
        mean_after=_mean([c.after for c in used]),  # type: ignore[misc]
        sd_change=_sd([c.change for c in used]),  # type: ignore[misc]
        pre_trend=_slope(pre), yearly=yearly,
    )


def _outcome(did: float | None, direction: str | None) -> Outcome:
    if did is None or direction not in ("higher", "lower"):
        return Outcome.UNKNOWN
    if abs(did) <= TOLERANCE:
        return Outcome.UNCHANGED
    return Outcome.BETTER if (did > 0) == (direction == "higher") else Outcome.WORSE


def _reading(p: GroupSummary, c: GroupSummary, did: float | None, se: float | None, min_units: int) -> Reading:
    if p.units == 0:
        return Reading.NO_DATA
    if c.units == 0:
        return Reading.NO_COMPARISON
    if p.units < min_units or c.units < min_units or did is None or se is None:
        return Reading.TOO_FEW
    return Reading.WITHIN_VARIATION if abs(did) <= SPREAD_FACTOR * se + TOLERANCE else Reading.BEYOND_VARIATION


def effect_compare(partners: Series, comparison: Series, *, start: dt.date, direction: str | None = "higher",
                   is_demo: bool = False, min_units: int = MIN_UNITS) -> EffectComparison:
    """The difference-in-differences of one indicator: partners' change minus the comparison group's change.

    ``partners`` and ``comparison`` map unit codes to ``{period: value}``; a unit in both counts as a partner.
    ``direction`` is the specification's ``higher`` or ``lower`` (better); ``is_demo`` adds the demo caveat.
    Raises ``InputError`` naming the unit and period when a period cannot be read.
    """
    report = ValidationReport(source="effect")
    if min_units < 1:
        report.add("min_units must be at least 1", value=str(min_units))
        raise InputError(report)
    comparison = {u: v for u, v in comparison.items() if u not in partners}
    spanning: set[str] = set()
    p_changes = _unit_changes(partners, Group.PARTNERS, start, spanning, report)
    c_changes = _unit_changes(comparison, Group.COMPARISON, start, spanning, report)
    if not report.ok:
        raise InputError(report)
    p, c = _summary(Group.PARTNERS, p_changes, partners, start), _summary(Group.COMPARISON, c_changes, comparison, start)
    did = p.change - c.change if p.change is not None and c.change is not None else None
    se = None
    if did is not None and p.sd_change is not None and c.sd_change is not None:
        se = math.sqrt(p.sd_change**2 / p.units + c.sd_change**2 / c.units)
    reading = _reading(p, c, did, se, min_units)
    caveats = [Caveat.NOT_CAUSAL, Caveat.TRENDS_NOT_TESTED]
    if reading is Reading.TOO_FEW:
        caveats.append(Caveat.FEW_UNITS)
    if not comparison or c.units == 0:
        caveats.append(Caveat.NO_COMPARISON)
    if p.left_out or c.left_out:
        caveats.append(Caveat.UNITS_LEFT_OUT)
    if spanning:
        caveats.append(Caveat.SPANNING_LEFT_OUT)
    if len({period for u in p_changes for period in u.periods_after}) <= 1:
        caveats.append(Caveat.SHORT_AFTER)
    if direction not in ("higher", "lower"):
        caveats.append(Caveat.DIRECTION_UNKNOWN)
    if is_demo:
        caveats.append(Caveat.DEMO)
    return EffectComparison(start=start, direction=direction, partners=p, comparison=c, did=did, standard_error=se,
                            outcome=_outcome(did, direction), reading=reading, caveats=tuple(caveats),
                            units=tuple(p_changes + c_changes), spanning=tuple(sorted(spanning)))


#: Columns of one comparison as a flat record (``dugnad actions effect``).
EFFECT_COLUMNS: tuple[str, ...] = (
    "partners", "partner_periods_before", "partner_periods_after", "partner_before", "partner_after",
    "partner_change", "comparison_units", "comparison_periods_before", "comparison_periods_after",
    "comparison_before", "comparison_after", "comparison_change", "did", "standard_error", "direction",
    "outcome", "reading", "caveats",
)  # fmt: skip


def effect_record(e: EffectComparison) -> dict[str, object]:
    """One comparison as a flat dictionary in ``EFFECT_COLUMNS`` order (caveats joined with ``|``)."""
    p, c = e.partners, e.comparison
    return {
        "partners": p.units, "partner_periods_before": p.periods_before, "partner_periods_after": p.periods_after,
        "partner_before": p.mean_before, "partner_after": p.mean_after, "partner_change": p.change,
        "comparison_units": c.units, "comparison_periods_before": c.periods_before,
        "comparison_periods_after": c.periods_after, "comparison_before": c.mean_before,
        "comparison_after": c.mean_after, "comparison_change": c.change, "did": e.did,
        "standard_error": e.standard_error, "direction": e.direction or "", "outcome": e.outcome.value,
        "reading": e.reading.value, "caveats": "|".join(c.value for c in e.caveats),
    }  # fmt: skip
