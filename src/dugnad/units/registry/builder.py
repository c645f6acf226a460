"""The Norwegian unit registry built from Klass: country, counties, municipalities with periods, code changes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.units.population.snapshot import PopulationSnapshot
from dugnad.units.registry import changes as ch
from dugnad.units.registry.counties import TABLE_REQUEST, counties_from_klass, counties_from_table, former_county_names
from dugnad.units.registry.klass import COUNTIES, MUNICIPALITIES, KlassDocument, KlassReader
from dugnad.units.registry.names import name_forms
from dugnad.units.registry.periods import Row, rows_from_versions, split_at_parents
from dugnad.units.registry.reconstruct import items_before
from dugnad.units.registry.snapshot import (
    SSB_ATTRIBUTION,
    LevelRecord,
    Snapshot,
    UnitRecord,
    snapshot_check,
)

LEVELS = [
    LevelRecord("country", "Land", "Land", "Country", 0),
    LevelRecord("county", "Fylke", "Fylke", "County", 1),
    LevelRecord("municipality", "Kommune", "Kommune", "Municipality", 2),
]
COUNTRY = UnitRecord(
    code="0", level="country", name="Norge", valid_from="1900-01-01", name_nn="Noreg", name_en="Norway",
    other_names={"se": "Norga", "smj": "Vuodna", "sma": "Nöörje", "fkv": "Norja"},
)
#: Codes in Klass 131 that are not municipalities ("Uoppgitt" = unknown).
NOT_UNITS = {"9999"}
MUNICIPALITY_CODE = re.compile(r"^\d{4}$")
CHANGES_FROM = dt.date(1970, 1, 1)


@dataclass
class BuildResult:
    """The built snapshot and the warnings found on the way."""

    snapshot: Snapshot
    report: ValidationReport


def population_lookup(population: PopulationSnapshot | None):
    """Residents of a code on a change date: the snapshot's figure for that date's year (1 January), else None."""

    def lookup(code: str, date: str) -> float | None:
        if population is None or not date.endswith("-01-01"):
            return None
        value = population.value(code, int(date[:4]))
        return None if value is None else float(value)

    return lookup


def _municipality_versions(
    reader: KlassReader, since: str, raw: list[ch.RawChange], report: ValidationReport
) -> tuple[list, list[str], list[str]]:
    """Klass 131 versions valid since a date as (valid_from, valid_to, items), the requests made, and the names
    of the versions the source lacked, rebuilt backwards from the next version and the change list."""
    doc = reader.classification(MUNICIPALITIES)
    listed = [v for v in doc.payload.get("versions") or [] if not v.get("validTo") or v["validTo"] > since]
    listed.sort(key=lambda v: v["validFrom"])
    requests = [doc.request]
    items: list[list | None] = [None] * len(listed)
    for i, v in enumerate(listed):
        if i and listed[i - 1].get("validTo") != v["validFrom"]:
            report.add(f"versions are not consecutive: {listed[i - 1]['name']} ends {listed[i - 1].get('validTo')}, "
                       f"{v['name']} starts {v['validFrom']}", file=doc.origin, path="versions")
        if reader.has_version(int(v["id"])):
            vdoc = reader.version(int(v["id"]))
            requests.append(vdoc.request)
            items[i] = _version_items(vdoc, report)
    rebuilt = []
    for i in reversed(range(len(listed))):
        if items[i] is not None:
            continue
        v = listed[i]
        if i + 1 == len(listed):
            report.add(f"{v['name']} (versions/{v['id']}) is not in the source and no later version follows it",
                       file=doc.origin, path="versions")
            items[i] = []
            continue
        items[i] = items_before(items[i + 1] or [], raw, start=v["validFrom"], end=listed[i + 1]["validFrom"],
                                report=report, label=v["name"])
        requests.append(f"versions/{v['id']} (reconstructed from the change list)")
        rebuilt.append(v["name"])
    if not listed:
        report.add(f"Klass {MUNICIPALITIES} has no version valid since {since}", file=doc.origin, path="versions")
    built = [(max(v["validFrom"], since), v.get("validTo"), items[i]) for i, v in enumerate(listed)]
    return built, requests, sorted(rebuilt)


def _version_items(doc: KlassDocument, report: ValidationReport) -> list[tuple[str, str, str, str]]:
    items = doc.payload.get("classificationItems")
    if not isinstance(items, list):
        report.add("missing 'classificationItems'", file=doc.origin, path="classificationItems")
        return []
    result = []
    for i, item in enumerate(items):
        code, name = str(item.get("code") or ""), str(item.get("name") or "").strip()
        if code in NOT_UNITS:
            continue
        if not MUNICIPALITY_CODE.match(code) or not name:
            report.add("a municipality needs a 4-digit code and a name", file=doc.origin,
                       path=f"classificationItems[{i}]", value=code)
            continue
        result.append((code, name, "", ""))
    return result


def _current_names(reader: KlassReader, report: ValidationReport) -> tuple[str, dict[str, str], list[str]]:
    day = reader.names_date(MUNICIPALITIES)
    if day is None:
        return "", {}, []
    doc = reader.codes_at(MUNICIPALITIES, day)
    codes = {str(c.get("code")): str(c.get("name") or "") for c in doc.payload.get("codes") or []}
    return day.isoformat(), codes, [doc.request]


def _add_other_names(rows: list[Row], current: dict[str, str], names_day: str, report: ValidationReport) -> None:
    for row in rows:
        forms = name_forms(row.name)
        if forms.unknown:
            report.warn(f"name forms of unknown language {list(forms.unknown)}", path=f"unit {row.code}", value=row.name)
        row.other_names = dict(forms.others)
        latest = current.get(row.code)
        if latest and names_day and row.valid_from <= names_day and (row.valid_to is None or names_day < row.valid_to):
            extra = name_forms(latest)
            if extra.norwegian != forms.norwegian:
                report.warn(f"name on {names_day} is {latest!r}; Sámi/Kven forms not taken", path=f"unit {row.code}")
                continue
            for language, form in extra.others.items():
                row.other_names.setdefault(language, form)


def _changes(reader: KlassReader, report: ValidationReport, to: dt.date) -> tuple[list[ch.RawChange], list[str]]:
    doc = reader.changes(MUNICIPALITIES, CHANGES_FROM, to)
    entries = doc.payload.get("codeChanges")
    if not isinstance(entries, list):
        report.add("missing 'codeChanges'", file=doc.origin, path="codeChanges")
        return [], [doc.request]
    raw = []
    for i, c in enumerate(entries):
        try:
            raw.append(ch.RawChange(str(c["oldCode"]), str(c.get("oldName") or ""), str(c["newCode"]),
                                    str(c.get("newName") or ""), str(dt.date.fromisoformat(c["changeOccurred"]))))
        except (KeyError, TypeError, ValueError) as exc:
            report.add(f"invalid change entry: {exc}", file=doc.origin, path=f"codeChanges[{i}]")
    return [c for c in raw if not ({c.old_code, c.new_code} & NOT_UNITS)], [doc.request]


def _record(row: Row, level: str) -> UnitRecord:
    return UnitRecord(row.code, level, row.name, row.valid_from, row.valid_to, row.parent, row.name_nn, row.name_en,
                      dict(sorted(row.other_names.items())))


def _county_name(counties: list[Row], former: dict[str, str]):
    """Name of a county code just before (old side) or on (new side) a change date."""

    def name(code: str, date: str, old: bool) -> str:
        day = (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat() if old else date
        live = [r for r in counties if r.code == code and r.valid_from <= day and (r.valid_to is None or day < r.valid_to)]
        return live[0].name if live else former.get(code, "")

    return name


def _unchanged(municipalities: list[Row], raw: list[ch.RawChange], start: str):
    """How many municipalities of a county kept their code across a change date: those valid after the date
    that were not created on it. Before the registry's coverage, "valid after" is estimated from later change
    lists (codes changed later) and the first covered structure (codes not created since)."""
    new_codes = {(c.new_code, c.date) for c in raw}

    def live_on(day: str) -> set[str]:
        return {r.code for r in municipalities if r.valid_from <= day and (r.valid_to is None or day < r.valid_to)}

    def unchanged(county: str, date: str) -> int:
        if date >= start:
            after = live_on(date)
        else:
            created = {c.new_code for c in raw if date < c.date <= start}
            after = {c.old_code for c in raw if c.date > date} | (live_on(start) - created)
        return sum(1 for code in after if code.startswith(county) and (code, date) not in new_codes)

    return unchanged


def build_norway_registry(
    reader: KlassReader,
    *,
    since: dt.date = dt.date(2015, 1, 1),
    population: PopulationSnapshot | None = None,
    today: dt.date | None = None,
) -> BuildResult:
    """The Norwegian registry from a Klass source; raises InputError (nothing built) when an input is unusable."""
    report = ValidationReport(source="Klass")
    start = since.isoformat()
    raw, change_requests = _changes(reader, report, today or dt.date.today())
    versions, requests, rebuilt = _municipality_versions(reader, start, raw, report)
    municipalities = rows_from_versions(versions)
    if reader.has_classification(COUNTIES):
        counties, county_requests = counties_from_klass(reader, since=start, report=report)
        used = {m.code[:2] for m in municipalities}
        skipped = sorted({c.code for c in counties} - used)
        counties = [c for c in counties if c.code in used]
        if skipped:
            report.warn(f"Klass {COUNTIES} codes without municipalities left out: {', '.join(skipped)}")
    else:
        counties, county_requests = counties_from_table(since=start, report=report), [TABLE_REQUEST]
    names_day, current, name_requests = _current_names(reader, report)
    municipalities, orphans = split_at_parents(municipalities, counties, lambda r: r.code[:2])
    for orphan in orphans:
        report.add(f"municipality has no county for part of its period: {orphan}")
    for county in counties:
        county.parent = COUNTRY.code
    _add_other_names(municipalities + counties, current, names_day, report)
    if not report.ok:
        raise InputError(report)
    pop = population_lookup(population)
    records = ch.change_records(raw, level="municipality", population=pop)
    records += ch.county_changes(
        raw, name=_county_name(counties, former_county_names()), unchanged=_unchanged(municipalities, raw, start), population=pop
    )
    units = [COUNTRY] + [_record(c, "county") for c in counties] + [_record(m, "municipality") for m in municipalities]
    snapshot = Snapshot(
        country="NO",
        attribution=SSB_ATTRIBUTION,
        levels=LEVELS,
        units=units,
        code_changes=sorted(records, key=lambda r: (r.date, r.level, r.old_code, r.new_code)),
        coverage_from=start,
        names_as_of=names_day,
        sources=requests + county_requests + name_requests + change_requests,
        notes=_notes(records, population is not None, rebuilt),
    )
    report.extend(snapshot_check(snapshot))
    if not report.ok:
        raise InputError(report)
    return BuildResult(snapshot, report)


def _notes(records, with_population: bool, rebuilt: list[str]) -> list[str]:
    bases = sorted({r.weight_basis for r in records if r.type == ch.SPLIT})
    notes = ["Units are valid from coverage_from; earlier periods are not in the registry (code changes go back to 1970)."]
    if rebuilt:
        notes.append(f"Not in the source, rebuilt backwards from the next version and the Klass 131 change list: "
                     f"{', '.join(rebuilt)} (names as in the change list).")
    return [
        *notes,
        "County code changes are derived from municipality code changes (first two digits of a code).",
        f"Split weights by basis: {', '.join(bases) or 'none'}"
        + ("" if with_population else " (no population given: municipality splits use equal shares)") + ".",
    ]
