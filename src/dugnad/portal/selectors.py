"""Reads of the public portal, for the web pages, the open API and exports alike.

Every function takes the :class:`~dugnad.portal.snapshot.PortalSnapshot` (``portal_snapshot()``) and returns plain
data: no query, no translation (names are picked by ``lang``), so a page costs no database work once the snapshot
of the data revision is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dugnad.observations.provenance import Provenance, mix_of
from dugnad.portal.snapshot import Cell, GoalInfo, IndicatorInfo, PortalSnapshot, UnitInfo, portal_snapshot

__all__ = [
    "UNSCORED",
    "GoalBlock",
    "IndicatorLine",
    "RankRow",
    "UnitProfile",
    "cell_provenance",
    "compare_table",
    "default_comparison",
    "goal_mix",
    "indicator_ranking",
    "indicator_years",
    "latest_values",
    "parse_codes",
    "portal_snapshot",
    "search_units",
    "unit_profile",
    "unit_years",
    "values_in_year",
]

MAX_COMPARE_UNITS = 10
MAX_COMPARE_INDICATORS = 10
#: Indicators compared when units are chosen but no indicator (the first of the portal's order).
DEFAULT_COMPARE_INDICATORS = 5
#: The compare page's example when nothing is chosen: the country beside its most populous municipalities.
DEFAULT_COMPARE_MUNICIPALITIES = 4


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


#: The colour of a value of a year the score run did not score: no status was computed (not «Mangler data»,
#: which says the value is missing); pages say «Ingen poengberegning for YYYY» (``portal_tags.cell_status_html``).
UNSCORED = ""


def _year_cell(snap: PortalSnapshot, code: str | None, key: str, year: int | None) -> Cell | None:
    """The unit's cell of the score run, or with ``year`` its value that year (status and trend only when the score
    run is of that year; otherwise the colour is ``UNSCORED``)."""
    if code is None:
        return None
    cell = snap.indicator_cells.get(code, {}).get(key)
    if year is None or (cell is not None and cell.year == year):
        return cell
    value = dict(snap.series.get(key, {}).get(code, [])).get(str(year))
    return None if value is None else Cell(score=None, colour=UNSCORED, trend="", value=value, year=year)


def _years(periods) -> list[int]:
    return sorted({int(p) for p in periods if len(p) == 4 and p.isdigit()}, reverse=True)


def unit_years(snap: PortalSnapshot, code: str) -> list[int]:
    """The years (newest first) with a value of the unit on some indicator of the portal."""
    return _years(p for points in snap.series.values() for p, _v in points.get(code, []))


def indicator_years(snap: PortalSnapshot, key: str) -> list[int]:
    """The years (newest first) with a value of some unit on the indicator."""
    return _years(p for points in snap.series.get(key, {}).values() for p, _v in points)


def values_in_year(snap: PortalSnapshot, key: str, codes: list[str], year: int) -> dict[str, float | None]:
    """``unit code → value`` of the indicator in ``year`` (None without a value that year)."""
    series = snap.series.get(key, {})
    period = str(year)
    return {code: next((v for p, v in series.get(code, []) if p == period), None) for code in codes}


def unit_profile(snap: PortalSnapshot, code: str, year: int | None = None) -> UnitProfile | None:
    """The unit's 17 goals and, per goal, its indicators compared with county, country and similar units
    (values of ``year`` when given, else of the score run)."""
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
            cell = own.get(key) if year is None else _year_cell(snap, code, key, year)
            similar = snap.similar_mean.get((f"{unit.level}:{unit.band}", key)) if unit.level == "municipality" else None
            if year is not None and not (cell is not None and own.get(key) is cell):
                similar = None  # the similar-unit mean is of the score run's year
            block.lines.append(IndicatorLine(
                indicator=indicator, cell=cell,
                county=_year_cell(snap, county.code, key, year) if county and county.code != code else None,
                country=_year_cell(snap, country.code, key, year) if country and country.code != code else None,
                similar=similar,
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


def indicator_ranking(snap: PortalSnapshot, key: str, level: str, year: int | None = None) -> list[RankRow]:
    """Units of a level ranked best first on an indicator (by score, which already respects the direction; by value
    in the indicator's direction for another ``year`` than the score run's)."""
    rows = [(u, _year_cell(snap, u.code, key, year)) for u in snap.by_level(level)]
    ind = snap.indicators.get(key)
    sign = 1 if ind is not None and ind.direction == "lower" else -1

    def order(row):
        return (-(row[1].score or 0), row[0].code) if year is None else (sign * row[1].value, row[0].code)

    ranked = sorted((r for r in rows if r[1] and r[1].value is not None), key=order)
    out = [RankRow(rank=i + 1, unit=u, cell=c, provenance=snap.provenance(u.code, key) if year is None else None)
           for i, (u, c) in enumerate(ranked)]
    out += [RankRow(rank=None, unit=u, cell=c) for u, c in rows if not (c and c.value is not None)]
    return out


def latest_values(snap: PortalSnapshot, key: str, level: str, year: int | None = None) -> dict[str, float | None]:
    """``unit code → value`` of the indicator in the score run (or in ``year``) for every unit of a level (None
    without data)."""
    if year is not None:
        return {u.code: (c.value if (c := _year_cell(snap, u.code, key, year)) else None) for u in snap.by_level(level)}
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


def cell_provenance(snap: PortalSnapshot, unit: str, key: str) -> Provenance | None:
    """Where the value of the unit's indicator cell in the score run comes from (its year's value; None: none)."""
    cell = snap.indicator_cells.get(unit, {}).get(key)
    return snap.provenance_at(unit, key, cell.year if cell is not None else None)


def goal_mix(snap: PortalSnapshot, unit: str, goal: int) -> str:
    """``demo``, ``mixed`` or ``real`` over the values behind the unit's goal score ('' for none): per value."""
    return mix_of(p for i in snap.goal_indicators(goal) if (p := cell_provenance(snap, unit, i.key)) is not None)


def compare_table(snap: PortalSnapshot, units: list[str], indicators: list[str]) -> list[tuple[IndicatorInfo, list[Cell | None]]]:
    """Indicator × unit cells for the compare page (the indicator as row, the units as columns)."""
    return [(snap.indicators[k], [snap.indicator_cells.get(u, {}).get(k) for u in units]) for k in indicators]


def default_comparison(snap: PortalSnapshot) -> tuple[list[str], list[str]]:
    """The compare page's example when the visitor has chosen nothing (also the static site's compare page): the
    country and the ``DEFAULT_COMPARE_MUNICIPALITIES`` most populous municipalities (those without a known population
    last, by code) on the first indicators."""
    country = snap.country()
    big = sorted(snap.by_level("municipality"),
                 key=lambda u: (u.population is None, -(u.population or 0), u.code))[:DEFAULT_COMPARE_MUNICIPALITIES]
    units = ([country.code] if country else []) + [u.code for u in big]
    return units, list(snap.indicators)[:DEFAULT_COMPARE_INDICATORS]
