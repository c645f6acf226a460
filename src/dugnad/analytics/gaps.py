"""Shared gaps: the indicators where many members of a set (e.g. a county's municipalities) are red or orange.

For a set of units and their indicator colours (unit, indicator, colour from a score result), an
indicator is a *shared gap* when at least ``min_share`` of the members are red or orange. Gaps are
ranked by the population affected (the summed population of the red and orange members), then by
share, then by indicator code: the starting point for joint action.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from dugnad.analytics.report import InputError, ValidationReport

#: Colours that count as a gap.
GAP_COLOURS = frozenset({"red", "orange"})
KNOWN_COLOURS = frozenset({"green", "yellow", "orange", "red", "grey", "gray", ""})


class ShareBase(StrEnum):
    """What the share of red/orange members is taken of."""

    MEMBERS = "members"  # every member of the set (an indicator few members report is not "shared")
    ASSESSED = "assessed"  # members with a colour other than grey

    @property
    def label_nb(self) -> str:
        """Norwegian (bokmål) label."""
        return {"members": "Andel av alle medlemmer", "assessed": "Andel av medlemmer med data"}[self.value]


@dataclass(frozen=True)
class SharedGap:
    """One indicator where at least the chosen share of members are red or orange."""

    indicator: str
    rank: int
    members: int
    assessed: int
    red: int
    orange: int
    share: float
    population_affected: float
    population_unknown: int
    units: tuple[str, ...]

    @property
    def affected(self) -> int:
        """Number of red or orange members."""
        return self.red + self.orange


GAP_COLUMNS: tuple[str, ...] = (
    "rank", "indicator", "members", "assessed", "red", "orange", "share", "population_affected",
    "population_unknown", "units",
)  # fmt: skip


def gap_record(gap: SharedGap) -> dict[str, object]:
    """One shared gap as a flat dictionary in ``GAP_COLUMNS`` order (units joined with ``|``)."""
    return {
        "rank": gap.rank, "indicator": gap.indicator, "members": gap.members, "assessed": gap.assessed,
        "red": gap.red, "orange": gap.orange, "share": gap.share, "population_affected": gap.population_affected,
        "population_unknown": gap.population_unknown, "units": "|".join(gap.units),
    }  # fmt: skip


def shared_gaps(
    colours: Iterable[tuple[str, str, str | None]],
    members: Iterable[str],
    *,
    populations: Mapping[str, float | None] | None = None,
    min_share: float = 0.5,
    base: ShareBase | str = ShareBase.MEMBERS,
) -> list[SharedGap]:
    """The shared gaps of a set of members, ranked by population affected (largest first).

    ``colours`` are ``(unit, indicator, colour)`` tuples; rows of units outside ``members`` are
    ignored. An unknown population counts as 0 in ``population_affected`` and is counted in
    ``population_unknown``.
    """
    base = ShareBase(base)
    if not 0 < min_share <= 1:
        report = ValidationReport(source="shared gaps")
        report.add("min_share must be above 0 and at most 1", value=str(min_share))
        raise InputError(report)
    member_set = set(members)
    populations = populations or {}
    by_indicator: dict[str, dict[str, str]] = {}
    report = ValidationReport(source="colours")
    for unit, indicator, colour in colours:
        if unit not in member_set:
            continue
        shade = (colour or "").strip().lower()
        if shade not in KNOWN_COLOURS:
            report.add(f"unit {unit}, indicator {indicator}: unknown colour", value=colour)
            continue
        seen = by_indicator.setdefault(indicator, {})
        if unit in seen:
            report.add(f"unit {unit}, indicator {indicator}: more than one colour")
        seen[unit] = shade
    if not report.ok:
        raise InputError(report)
    found = []
    for indicator, shades in by_indicator.items():
        bad = sorted(u for u, s in shades.items() if s in GAP_COLOURS)
        assessed = sum(1 for s in shades.values() if s not in {"grey", "gray", ""})
        denominator = len(member_set) if base is ShareBase.MEMBERS else assessed
        share = len(bad) / denominator if denominator else 0.0
        if not bad or share < min_share - 1e-12:
            continue
        pops = [populations.get(u) for u in bad]
        found.append(
            {
                "indicator": indicator, "members": len(member_set), "assessed": assessed,
                "red": sum(1 for u in bad if shades[u] == "red"), "orange": sum(1 for u in bad if shades[u] == "orange"),
                "share": share, "population_affected": float(sum(p for p in pops if p is not None)),
                "population_unknown": sum(1 for p in pops if p is None), "units": tuple(bad),
            }
        )
    found.sort(key=lambda g: (-g["population_affected"], -g["share"], g["indicator"]))
    return [SharedGap(rank=i, **g) for i, g in enumerate(found, start=1)]  # type: ignore[arg-type]


def colours_from_rows(rows: Iterable[Mapping[str, str]], *, file: str = "indicator_scores") -> list[tuple[str, str, str]]:
    """(unit, indicator, colour) tuples from score-result rows with columns ``unit, indicator, colour``."""
    report = ValidationReport(source=file)
    out: list[tuple[str, str, str]] = []
    for n, row in enumerate(rows, start=2):
        if n == 2 and "colour" not in row:
            report.add("no column 'colour'", file=file, column="colour")
            raise InputError(report)
        unit, indicator = (row.get("unit") or "").strip(), (row.get("indicator") or "").strip()
        if not unit or not indicator:
            report.add("unit and indicator must not be empty", file=file, row=n)
            continue
        out.append((unit, indicator, (row.get("colour") or "").strip().lower()))
    if not report.ok:
        raise InputError(report)
    return out
