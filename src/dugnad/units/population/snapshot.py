"""The population snapshot: residents of each unit code on 1 January of each year, as one JSON file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.units.registry.snapshot import json_line, json_load, text_write

FORMAT = "dugnad-population/1"
SHIPPED_NORWAY_POPULATION = Path(__file__).resolve().parent.parent / "data" / "norway_population.json"
#: Bases of a figure: published by the source, or the sum of the unit's municipalities.
PUBLISHED, SUM = "published", "sum"
#: Order of the levels in the file (others after them, by name).
LEVEL_ORDER = {"country": 0, "county": 1, "municipality": 2}

SSB_POPULATION_ATTRIBUTION = {
    "text": (
        "Inneholder data fra Statistisk sentralbyrå (SSB), tabell 07459: Befolkning 1. januar, etter region. "
        "Contains data from Statistics Norway (SSB), table 07459: population on 1 January, by region."
    ),
    "publisher": "Statistisk sentralbyrå (SSB)",
    "licence": "NLOD 2.0 / CC BY 4.0",
    "licence_url": "https://data.norge.no/nlod/no/2.0",
    "source_url": "https://www.ssb.no/statbank/table/07459",
}


@dataclass(frozen=True)
class SourceRecord:
    """One input file of the snapshot: the year it gives, its name and checksum, how it was read."""

    year: int
    file: str
    sha256: str
    format: str
    table: str = ""


@dataclass(frozen=True)
class FigureSet:
    """The figures of one year and level: unit code → residents, with their basis (published or sum)."""

    year: int
    level: str
    basis: str
    values: dict[str, int]


@dataclass
class PopulationSnapshot:
    """A country's population on 1 January by year and unit code, with attribution and sources."""

    country: str
    attribution: dict
    figures: list[FigureSet]
    sources: list[SourceRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def value(self, code: str, year: int) -> int | None:
        """The figure of a code for exactly this year, or None."""
        return next((f.values[code] for f in self.figures if f.year == year and code in f.values), None)

    @property
    def years(self) -> list[int]:
        """The years with figures, in order."""
        return sorted({f.year for f in self.figures})


def population_dumps(snapshot: PopulationSnapshot) -> str:
    """The snapshot as deterministic JSON text: metadata first, then one line per year and level."""
    head = {"format": FORMAT, "country": snapshot.country, "attribution": snapshot.attribution,
            "reference_date": "1 January of each year",
            "sources": [s.__dict__ for s in snapshot.sources], "notes": snapshot.notes}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f" {json.dumps(key)}: {json_line(value) if isinstance(value, dict | list) else json.dumps(value)},")
    ordered = sorted(snapshot.figures, key=lambda f: (f.year, LEVEL_ORDER.get(f.level, len(LEVEL_ORDER)), f.level))
    rows = [f"  {json_line({**f.__dict__, 'values': dict(sorted(f.values.items()))})}" for f in ordered]
    lines += [' "figures": [', ",\n".join(rows), " ]", "}"]
    return "\n".join(lines) + "\n"


def population_write(snapshot: PopulationSnapshot, path: Path) -> Path:
    """Write the snapshot atomically (gzip when the name ends in ``.gz``)."""
    return text_write(population_dumps(snapshot), path)


def population_read(path: Path = SHIPPED_NORWAY_POPULATION) -> PopulationSnapshot:
    """Read and check a population snapshot; InputError naming the file and entry for any problem."""
    data = json_load(path)
    report = ValidationReport(source=str(path))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        report.add(f"not a population snapshot (expected format {FORMAT!r})", file=str(path), path="format")
        raise InputError(report)
    figures = []
    for i, item in enumerate(data.get("figures") or []):
        try:
            figure = FigureSet(int(item["year"]), str(item["level"]), str(item["basis"]), dict(item["values"]))
        except (KeyError, TypeError, ValueError) as exc:
            report.add(f"invalid entry: {exc}", file=str(path), path=f"figures[{i}]")
            continue
        bad = [code for code, v in figure.values.items() if type(v) is not int or v < 0]
        if bad:
            report.add("figures must be whole numbers ≥ 0", file=str(path), path=f"figures[{i}].values.{bad[0]}")
        figures.append(figure)
    sources = []
    for i, item in enumerate(data.get("sources") or []):
        try:
            sources.append(SourceRecord(**item))
        except TypeError as exc:
            report.add(f"invalid entry: {exc}", file=str(path), path=f"sources[{i}]")
    if not report.ok:
        raise InputError(report)
    return PopulationSnapshot(str(data.get("country", "")), data.get("attribution") or {}, figures, sources,
                              list(data.get("notes") or []))
