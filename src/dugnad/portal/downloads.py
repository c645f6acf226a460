"""The data behind each public portal page as a tidy table, written as CSV, XLSX or JSON-stat 2.0.

The tables are built from the same snapshot and selectors as the pages (no query of their own); the files are
written by the format registry's writers (``analytics.formats``), with the source, the licence and the demo label
added: as columns in CSV and XLSX (and an «om» sheet in XLSX), as ``source``, ``note`` and ``extension`` in
JSON-stat.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from dugnad.analytics.formats import registry
from dugnad.portal.selectors import compare_table, unit_profile, values_in_year
from dugnad.portal.snapshot import PortalSnapshot

#: File formats offered on every page: name → (format registry name, file extension, media type).
FORMATS = {
    "csv": ("csv", "csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("jsonstat", "json", "application/json; charset=utf-8"),
}
DEMO_NOTE = "Demodata – ikke ekte tall"
SCORE_SOURCE = "Dugnad: poeng beregnet fra indikatorene (0–100)"
SCORE_LICENCE = "CC BY 4.0"
EXTRA = ("unit_name", "indicator_name", "unit_of_measure", "source", "licence", "note")


@dataclass
class Download:
    """A page's data: rows of the tidy table with names, source, licence and demo note per row."""

    title: str
    page: str = ""
    rows: list[dict] = field(default_factory=list)

    def add(self, *, unit, indicator: str, indicator_name: str, period, value, uom: str = "", source: str,
            licence: str, demo: bool, lang: str) -> None:
        self.rows.append({"unit": unit.code, "indicator": indicator, "period": str(period or ""),
                          "unit_name": unit.name(lang), "indicator_name": indicator_name, "unit_of_measure": uom,
                          "source": source, "licence": licence, "note": DEMO_NOTE if demo else "",
                          "value": None if value is None else float(value),
                          "status": "ok" if value is not None else "missing"})

    @property
    def demo(self) -> bool:
        return any(r["note"] for r in self.rows)

    def table(self, extra: bool = True) -> pa.Table:
        """The tidy table (``unit, indicator, period, [names, source, licence, note], value, status``)."""
        columns = ["unit", "indicator", "period", *(EXTRA if extra else ()), "value", "status"]
        arrays = {c: pa.array([r[c] for r in self.rows], pa.float64() if c == "value" else pa.string()) for c in columns}
        return pa.table(arrays)


def _indicator_add(out: Download, snap: PortalSnapshot, unit, ind, period, value, lang: str) -> None:
    out.add(unit=unit, indicator=ind.key, indicator_name=ind.name(lang), period=period, value=value,
            uom=ind.unit_of_measure, source=ind.source or ind.publisher, licence=ind.licence, demo=ind.demo, lang=lang)


def _scores(out: Download, snap: PortalSnapshot, units, lang: str, *, index: bool = True, goals=None) -> None:
    """Index and goal scores (0–100) of the score run for the units."""
    for unit in units:
        if index and unit.code in snap.index:
            out.add(unit=unit, indicator="index", indicator_name="Bærekraftsindeks", period=snap.run_year,
                    value=snap.index[unit.code][0], uom="0–100", source=SCORE_SOURCE, licence=SCORE_LICENCE,
                    demo=snap.demo, lang=lang)
        for number in goals if goals is not None else snap.goals:
            cell = snap.goal_cells.get(unit.code, {}).get(number)
            if cell is not None:
                out.add(unit=unit, indicator=f"goal-{number}", indicator_name=snap.goals[number].name(lang),
                        period=snap.run_year, value=cell.score, uom="0–100", source=SCORE_SOURCE,
                        licence=SCORE_LICENCE, demo=snap.demo, lang=lang)


def _cells(out: Download, snap: PortalSnapshot, units, indicators, lang: str, year: int | None = None) -> None:
    """Each unit's value on each indicator: in the score run, or in ``year``."""
    for ind in indicators:
        if year is not None:
            values = values_in_year(snap, ind.key, [u.code for u in units], year)
        for unit in units:
            if year is not None:
                _indicator_add(out, snap, unit, ind, year, values.get(unit.code), lang)
            elif (cell := snap.indicator_cells.get(unit.code, {}).get(ind.key)) is not None:
                _indicator_add(out, snap, unit, ind, cell.year or snap.run_year, cell.value, lang)


def front_data(snap: PortalSnapshot, lang: str) -> Download:
    """The front page: index and goal scores of the country, the counties and the municipalities."""
    out = Download(title="Dugnad: bærekraftsindeks og mål per enhet")
    _scores(out, snap, snap.units.values(), lang)
    return out


def unit_data(snap: PortalSnapshot, code: str, lang: str, year: int | None = None) -> Download | None:
    """A unit page: its index and goal scores and the series of each indicator (one year with ``year``)."""
    profile = unit_profile(snap, code)
    if profile is None:
        return None
    unit = profile.unit
    out = Download(title=f"Dugnad: {unit.name(lang)}")
    _scores(out, snap, [unit], lang)
    for block in profile.goals:
        for line in block.lines:
            for period, value in line.series:
                if year is None or period == str(year):
                    _indicator_add(out, snap, unit, line.indicator, period, value, lang)
    return out


def goal_data(snap: PortalSnapshot, number: int, lang: str) -> Download | None:
    """A goal page: every unit's score on the goal and its values on the goal's indicators."""
    goal = snap.goals.get(number)
    if goal is None:
        return None
    out = Download(title=f"Dugnad: {goal.name(lang)}")
    units = list(snap.units.values())
    _scores(out, snap, units, lang, index=False, goals=[number])
    _cells(out, snap, units, snap.goal_indicators(number), lang)
    return out


def target_data(snap: PortalSnapshot, code: str, lang: str) -> Download:
    """A target page: every unit's values on the indicators linked to the target."""
    out = Download(title=f"Dugnad: {code}")
    _cells(out, snap, list(snap.units.values()), [i for i in snap.indicators.values() if code in i.targets], lang)
    return out


def indicator_data(snap: PortalSnapshot, key: str, lang: str, year: int | None = None) -> Download | None:
    """An indicator page: the whole series of every unit (one year with ``year``)."""
    ind = snap.indicators.get(key)
    if ind is None:
        return None
    out = Download(title=f"Dugnad: {ind.name(lang)}")
    series = snap.series.get(key, {})
    for unit in snap.units.values():
        for period, value in series.get(unit.code, []):
            if year is None or period == str(year):
                _indicator_add(out, snap, unit, ind, period, value, lang)
    return out


def compare_data(snap: PortalSnapshot, units: list[str], keys: list[str], lang: str) -> Download:
    """The compare page: the chosen units' values on the chosen indicators."""
    out = Download(title="Dugnad: sammenligning")
    for ind, cells in compare_table(snap, units, keys):
        for code, cell in zip(units, cells, strict=True):
            if cell is not None:
                _indicator_add(out, snap, snap.units[code], ind, cell.year or snap.run_year, cell.value, lang)
    return out


#: The page data made last under the current snapshot: ``(snapshot, {(maker, args): Download})``, replaced as a whole.
_kept: list = [None]
KEPT = 32


def kept(snap: PortalSnapshot, make, *args) -> Download | None:
    """``make(snap, *args)`` (``unit_data``, ``target_data``…) made once for a page's three files: the static site
    writes a page's CSV, XLSX and JSON-stat one after another, and building the rows was a quarter of each."""
    entry = _kept[0]
    if entry is None or entry[0] is not snap:
        entry = _kept[0] = (snap, {})
    key = (make.__name__, *args)
    if key not in entry[1]:
        if len(entry[1]) >= KEPT:
            entry[1].clear()
        entry[1][key] = make(snap, *args)
    return entry[1][key]


def _written(table: pa.Table, format: str, **options) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"data.{FORMATS[format][1]}"
        registry.write_table(table, target, format=FORMATS[format][0], **options)
        return target.read_bytes()


def render(download: Download, format: str, *, url: str = "") -> bytes:
    """The download as ``csv``, ``xlsx`` or ``json`` (JSON-stat 2.0), written by the format registry."""
    sources = sorted({r["source"] for r in download.rows if r["source"]})
    licences = sorted({r["licence"] for r in download.rows if r["licence"]})
    if format == "csv":
        return _written(download.table(), "csv", bom=True)
    if format == "xlsx":
        about = (("Tittel", download.title), ("Side", url), ("Kilde", "; ".join(sources)),
                 ("Lisens", "; ".join(licences)), ("Merknad", DEMO_NOTE if download.demo else ""))
        return _written(download.table(), "xlsx", sheet="data", about=about)
    if format != "json":
        raise ValueError(f"unknown download format {format!r}")
    labels = {"Region": {r["unit"]: r["unit_name"] for r in download.rows},
              "ContentsCode": {r["indicator"]: r["indicator_name"] for r in download.rows}}
    notes = [f"Lisens: {'; '.join(licences)}"] if licences else []
    if download.demo:
        notes.insert(0, DEMO_NOTE)
    return _written(download.table(extra=False), "json", label=download.title, source="; ".join(sources) or "Dugnad",
                    labels=labels, note=notes, href=url,
                    extension={"demo": download.demo, "licence": licences, "source": sources})
