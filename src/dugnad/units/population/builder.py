"""The population snapshot built from its inputs and the unit registry: municipalities as published, counties
and the country as the sums of their municipalities on 1 January."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.units.population.snapshot import (
    PUBLISHED,
    SSB_POPULATION_ATTRIBUTION,
    SUM,
    FigureSet,
    PopulationSnapshot,
)
from dugnad.units.population.sources import PopulationInput
from dugnad.units.registry.snapshot import Snapshot, UnitRecord

NOTES = [
    "Figures are residents on 1 January of the year. Municipalities are as published; counties and the country "
    "are the sums of the municipalities valid on that day in the unit registry (their parents).",
    "A region outside the municipalities (StatBank's K-Rest, Svalbard and Jan Mayen, the continental shelf) must "
    "be 0, so that the sums equal the published totals.",
]


def build_population(inputs: list[PopulationInput], registry: Snapshot, *, country: str = "NO") -> PopulationSnapshot:
    """The snapshot of the inputs, checked against the registry: every municipality valid on 1 January has
    exactly one figure, no other code has one; raises InputError listing every problem (nothing built)."""
    report = ValidationReport(source="population")
    by_year: dict[int, PopulationInput] = {}
    for item in inputs:
        if item.year in by_year:
            report.add(f"two inputs give {item.year}: {by_year[item.year].source.file} and {item.source.file}",
                       file=item.source.file)
            continue
        by_year[item.year] = item
    figures: list[FigureSet] = []
    for year, item in sorted(by_year.items()):
        figures += _year_figures(item, registry.units_on(dt.date(year, 1, 1)), report)
    if not report.ok:
        raise InputError(report)
    sources = [by_year[year].source for year in sorted(by_year)]
    return PopulationSnapshot(country, SSB_POPULATION_ATTRIBUTION, figures, sources, list(NOTES))


def _year_figures(item: PopulationInput, units: list[UnitRecord], report: ValidationReport) -> list[FigureSet]:
    """The municipality, county and country figures of one year."""
    day = f"{item.year}-01-01"
    municipalities = {u.code: u for u in units if u.level == "municipality"}
    for code in sorted(set(item.values) - set(municipalities)):
        report.add(f"{code} is not a municipality on {day} in the unit registry", **item.where[code])
    missing = sorted(set(municipalities) - set(item.values))
    if missing:
        report.add(f"no figure for {len(missing)} municipalities valid on {day}: {', '.join(missing[:20])}"
                   + (" …" if len(missing) > 20 else ""), file=item.source.file)
    for code, people in sorted(item.others.items()):
        if people:
            report.add(f"region {code} has {people} residents outside the municipalities; the sums would be short",
                       **item.where[code])
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    parents = {u.code: u for u in units}
    for code, people in item.values.items():
        unit = municipalities.get(code)
        while unit is not None and unit.parent is not None:
            parent = parents.get(unit.parent)
            if parent is None:
                break
            sums[parent.level][parent.code] += people
            unit = parent
    published = FigureSet(item.year, "municipality", PUBLISHED, dict(item.values))
    return [published] + [FigureSet(item.year, level, SUM, dict(values)) for level, values in sums.items()]
