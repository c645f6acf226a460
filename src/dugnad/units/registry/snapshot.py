"""The unit registry snapshot: levels, units and code changes of one country as one JSON file (optionally gzipped)."""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dugnad.analytics.report import InputError, ValidationReport
from dugnad.common.files import write_atomic

FORMAT = "dugnad-units/1"
SHIPPED_NORWAY = Path(__file__).resolve().parent.parent / "data" / "norway.json"

SSB_ATTRIBUTION = {
    "text": (
        "Inneholder data fra Statistisk sentralbyrå (SSB), Klass – Standard for kommuneinndeling (klassifikasjon 131) "
        "og Standard for fylkesinndeling (104). Contains data from Statistics Norway (SSB), Klass classifications 131 and 104."
    ),
    "publisher": "Statistisk sentralbyrå (SSB)",
    "licence": "NLOD 2.0 / CC BY 4.0",
    "licence_url": "https://data.norge.no/nlod/no/2.0",
    "source_url": "https://www.ssb.no/klass/klassifikasjoner/131",
}


@dataclass(frozen=True)
class LevelRecord:
    """One administrative level: code, names and rank (0 = top)."""

    code: str
    name_nb: str
    name_nn: str
    name_en: str
    rank: int


@dataclass(frozen=True)
class UnitRecord:
    """One unit row: a code with one name and one parent for a validity period [valid_from, valid_to)."""

    code: str
    level: str
    name: str
    valid_from: str
    valid_to: str | None = None
    parent: str | None = None
    name_nn: str = ""
    name_en: str = ""
    other_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangeRecord:
    """One code-change event from an old code to a new one on a date, with the share carried over."""

    type: str
    level: str
    date: str
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    weight: float = 1.0
    weight_basis: str = "whole"


@dataclass
class Snapshot:
    """A country's registry as shipped: metadata with attribution, levels, units and code changes."""

    country: str
    attribution: dict
    levels: list[LevelRecord]
    units: list[UnitRecord]
    code_changes: list[ChangeRecord]
    coverage_from: str = ""
    names_as_of: str = ""
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def units_on(self, date: dt.date, level: str | None = None) -> list[UnitRecord]:
        """Units valid on a date (optionally at one level)."""
        day = date.isoformat()
        return [
            u
            for u in self.units
            if u.valid_from <= day and (u.valid_to is None or day < u.valid_to) and (level is None or u.level == level)
        ]


def json_line(obj: dict | list) -> str:
    """One JSON value on one line, as the snapshots write their entries."""
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def snapshot_dumps(snapshot: Snapshot) -> str:
    """The snapshot as deterministic JSON text: metadata first, then one level, unit or change per line."""
    head = {
        "format": FORMAT,
        "country": snapshot.country,
        "attribution": snapshot.attribution,
        "coverage_from": snapshot.coverage_from,
        "names_as_of": snapshot.names_as_of,
        "sources": snapshot.sources,
        "notes": snapshot.notes,
    }
    lines = ["{"]
    for key, value in head.items():
        text = json_line(value) if isinstance(value, dict | list) else json.dumps(value, ensure_ascii=False)
        lines.append(f" {json.dumps(key)}: {text},")
    for key, items in (("levels", snapshot.levels), ("units", snapshot.units), ("code_changes", snapshot.code_changes)):
        rows = [f"  {json_line(asdict(item))}" for item in items]
        lines.append(f' "{key}": [')
        lines.append(",\n".join(rows))
        lines.append(" ]," if key != "code_changes" else " ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def text_write(text: str, path: Path) -> Path:
    """Write UTF-8 text atomically (temp file, then rename); gzip when the name ends in ``.gz``."""
    data = text.encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    write_atomic(path, data)
    return path


def snapshot_write(snapshot: Snapshot, path: Path) -> Path:
    """Write the snapshot atomically (temp file, then rename); gzip when the name ends in ``.gz``."""
    return text_write(snapshot_dumps(snapshot), path)


def json_load(path: Path) -> object:
    """The JSON content of a file (gunzipped when the name ends in ``.gz``); InputError naming the file."""
    report = ValidationReport(source=str(path))
    try:
        raw = path.read_bytes()
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        return json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, EOFError) as exc:
        report.add(f"cannot read the JSON file: {exc}", file=str(path))
        raise InputError(report) from exc


def _records(cls, items: object, key: str, path: Path, report: ValidationReport) -> list:
    if not isinstance(items, list):
        report.add(f"'{key}' must be a list", file=str(path), path=key)
        return []
    records = []
    for i, item in enumerate(items):
        try:
            records.append(cls(**item))
        except TypeError as exc:
            report.add(f"invalid entry: {exc}", file=str(path), path=f"{key}[{i}]")
    return records


def snapshot_read(path: Path) -> Snapshot:
    """Read and check a snapshot file; raises InputError naming the file and entry for any problem."""
    data = json_load(path)
    report = ValidationReport(source=str(path))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        report.add(f"not a unit registry snapshot (expected format {FORMAT!r})", file=str(path), path="format")
        raise InputError(report)
    snapshot = Snapshot(
        country=data.get("country", ""),
        attribution=data.get("attribution") or {},
        levels=_records(LevelRecord, data.get("levels"), "levels", path, report),
        units=_records(UnitRecord, data.get("units"), "units", path, report),
        code_changes=_records(ChangeRecord, data.get("code_changes", []), "code_changes", path, report),
        coverage_from=data.get("coverage_from", ""),
        names_as_of=data.get("names_as_of", ""),
        sources=data.get("sources", []),
        notes=data.get("notes", []),
    )
    report.extend(snapshot_check(snapshot, file=str(path)))
    if not report.ok:
        raise InputError(report)
    return snapshot


def _date_ok(value: str | None) -> bool:
    try:
        dt.date.fromisoformat(value or "")
    except ValueError:
        return False
    return True


def snapshot_check(snapshot: Snapshot, *, file: str = "") -> ValidationReport:
    """Problems in a snapshot: unknown levels, bad dates, overlapping rows, parents missing for a unit's period."""
    report = ValidationReport(source=file)
    levels = {lv.code for lv in snapshot.levels}
    seen: dict[tuple[str, str], int] = {}
    by_code: dict[str, list[UnitRecord]] = {}
    for i, u in enumerate(snapshot.units):
        where = {"file": file, "path": f"units[{i}]"}
        if u.level not in levels:
            report.add(f"unknown level {u.level!r}", **where, value=u.code)
        if not _date_ok(u.valid_from) or (u.valid_to is not None and not _date_ok(u.valid_to)):
            report.add("valid_from/valid_to must be ISO dates (YYYY-MM-DD)", **where, value=u.code)
        elif u.valid_to is not None and u.valid_to <= u.valid_from:
            report.add("valid_to must be after valid_from", **where, value=u.code)
        if (u.code, u.valid_from) in seen:
            report.add(f"duplicate unit {u.code} from {u.valid_from}", **where, value=u.code)
        seen[(u.code, u.valid_from)] = i
        by_code.setdefault(u.code, []).append(u)
    for code, rows in by_code.items():
        rows.sort(key=lambda r: r.valid_from)
        for a, b in itertools.pairwise(rows):
            if a.valid_to is None or a.valid_to > b.valid_from:
                report.add(f"overlapping validity periods for code {code}", file=file, path="units", value=code)
    for i, u in enumerate(snapshot.units):
        if u.parent is not None and not _covered(by_code.get(u.parent, []), u):
            reason = f"parent {u.parent} is not valid for the whole period of {u.code}"
            report.add(reason, file=file, path=f"units[{i}]", value=u.code)
    for i, c in enumerate(snapshot.code_changes):
        if not _date_ok(c.date):
            report.add("date must be an ISO date", file=file, path=f"code_changes[{i}]", value=c.date)
        if not 0 < c.weight <= 1:
            report.add("weight must be in (0, 1]", file=file, path=f"code_changes[{i}]", value=str(c.weight))
    return report


def _covered(parents: list[UnitRecord], unit: UnitRecord) -> bool:
    """Whether one parent row covers the unit's whole validity period."""
    for p in parents:
        starts = p.valid_from <= unit.valid_from
        ends = p.valid_to is None or (unit.valid_to is not None and unit.valid_to <= p.valid_to)
        if starts and ends:
            return True
    return False
