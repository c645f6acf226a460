"""Reads of the public portal, for the web pages, the open API and exports alike.

Every function takes the :class:`~dugnad.portal.snapshot.PortalSnapshot` (``portal_snapshot()``) and returns plain
data: no query, no translation (names are picked by ``lang``), so a page costs no database work once the snapshot
of the data revision is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dugnad.observations.provenance import Provenance
from dugnad.portal.snapshot import Cell, GoalInfo, IndicatorInfo, PortalSnapshot, UnitInfo, portal_snapshot

__all__ = [
    "GoalBlock",
    "IndicatorLine",
    "RankRow",
    "UnitProfile",
    "compare_table",
    "indicator_ranking",
    "latest_values",
    "parse_codes",
    "portal_snapshot",
    "search_units",
    "unit_profile",
]

MAX_COMPARE_UNITS = 10
MAX_COMPARE_INDICATORS = 10


def _fold(text: str) -> str:
    return text.casefold().replace("-", " ")


def search_units(snap: PortalSnapshot, query: str, *, limit: int = 50) -> list[UnitInfo]:
    """Units whose code starts with the query or whose name (in any language) contains it; exact matches first."""
    q = _fold(query.strip())
    if not q:
        return []
    found = []
    for unit in snap.units.values():
        names = {_fold(n) for n in unit.names.values()}
        if unit.code.startswith(q) or any(q in n for n in names):
            exact = unit.code == q or q in names
            starts = any(n.startswith(q) for n in names)
            found.append(((0 if exact else 1 if starts else 2), unit.code, unit))
    return [u for *_, u in sorted(found, key=lambda t: (t[0], t[1]))][:limit]


@dataclass
class IndicatorLine:
    """One indicator on a unit's profile: the unit's result beside its county, the country and similar units."""

    indicator: IndicatorInfo
    cell: Cell | None
    county: Cell | None
    country: Cell | None
    similar: float | None
    series: list[tuple[str, float]]
    provenance: Provenance | None = None


@dataclass
class GoalBlock:
    """One goal on a unit's profile: its tile and the indicators scored under it."""

    goal: GoalInfo
    cell: Cell | None
    lines: list[IndicatorLine] = field(default_factory=list)


@dataclass
class UnitProfile:
    unit: UnitInfo
    parent: UnitInfo | None
    country: UnitInfo | None
    index: tuple[float | None, int | None] | None
    goals: list[GoalBlock]
    demo: bool
    mix: str = ""


def unit_profile(snap: PortalSnapshot, code: str) -> UnitProfile | None:
    """The unit's 17 goals and, per goal, its indicators compared with county, country and similar units."""
    unit = snap.units.get(code)
    if unit is None:
        return None
    parent = snap.units.get(unit.parent) if unit.parent else None
    county = parent if parent and parent.level == "county" else None
    country = snap.country()
    own = snap.indicator_cells.get(code, {})
    blocks = []
    for number, goal in snap.goals.items():
        block = GoalBlock(goal=goal, cell=snap.goal_cells.get(code, {}).get(number))
        for indicator in snap.goal_indicators(number):
            key = indicator.key
            block.lines.append(IndicatorLine(
                indicator=indicator, cell=own.get(key),
                county=snap.indicator_cells.get(county.code, {}).get(key) if county and county.code != code else None,
                country=snap.indicator_cells.get(country.code, {}).get(key) if country and country.code != code else None,
                similar=snap.similar_mean.get((f"{unit.level}:{unit.band}", key)) if unit.level == "municipality" else None,
                series=snap.series.get(key, {}).get(code, []),
                provenance=snap.provenance(code, key),
            ))
        blocks.append(block)
    mix = snap.unit_mix.get(code, "")
    return UnitProfile(unit=unit, parent=parent, country=country, index=snap.index.get(code), goals=blocks,
                       demo=mix in ("demo", "mixed"), mix=mix)


@dataclass(frozen=True)
class RankRow:
    rank: int | None
    unit: UnitInfo
    cell: Cell | None
    provenance: Provenance | None = None


def indicator_ranking(snap: PortalSnapshot, key: str, level: str) -> list[RankRow]:
    """Units of a level ranked best first on an indicator (by score, which already respects the direction)."""
    rows = [(u, snap.indicator_cells.get(u.code, {}).get(key)) for u in snap.by_level(level)]
    ranked = sorted((r for r in rows if r[1] and r[1].value is not None), key=lambda r: (-(r[1].score or 0), r[0].code))
    out = [RankRow(rank=i + 1, unit=u, cell=c, provenance=snap.provenance(u.code, key)) for i, (u, c) in enumerate(ranked)]
    out += [RankRow(rank=None, unit=u, cell=c) for u, c in rows if not (c and c.value is not None)]
    return out


def latest_values(snap: PortalSnapshot, key: str, level: str) -> dict[str, float | None]:
    """``unit code → value`` of the indicator in the score run for every unit of a level (None without data)."""
    return {u.code: (c.value if (c := snap.indicator_cells.get(u.code, {}).get(key)) else None) for u in snap.by_level(level)}


def parse_codes(raw: str, allowed, limit: int) -> tuple[list[str], list[str]]:
    """Comma- or space-separated codes from a URL: the known ones (in order, no repeats, at most ``limit``) and the rest."""
    known, unknown = [], []
    for part in raw.replace(",", " ").split():
        if part in allowed:
            if part not in known:
                known.append(part)
        else:
            unknown.append(part)
    return known[:limit], unknown


def compare_table(snap: PortalSnapshot, units: list[str], indicators: list[str]) -> list[tuple[IndicatorInfo, list[Cell | None]]]:
    """Indicator × unit cells for the compare page (the indicator as row, the units as columns)."""
    return [(snap.indicators[k], [snap.indicator_cells.get(u, {}).get(k) for u in units]) for k in indicators]
