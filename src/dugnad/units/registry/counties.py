"""Counties for the registry: from Klass 104 versions (nb/nn/en) or from the project's counties table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from dugnad.analytics.report import ValidationReport
from dugnad.units.registry.klass import COUNTIES, KlassReader
from dugnad.units.registry.periods import Row, rows_from_versions

COUNTIES_FILE = Path(__file__).resolve().parent.parent / "data" / "counties_no.yaml"
TABLE_REQUEST = "dugnad:units/data/counties_no.yaml"


def counties_from_table(*, path: Path = COUNTIES_FILE, since: str, report: ValidationReport) -> list[Row]:
    """County rows from the counties table (YAML); names are the same in nb, nn and en."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = []
    for i, item in enumerate(data.get("counties") or []):
        try:
            start, end = str(item["valid_from"]), item.get("valid_to")
            dt.date.fromisoformat(start)
            code, name = str(item["code"]), str(item["name"])
        except (KeyError, TypeError, ValueError) as exc:
            report.add(f"invalid county entry: {exc}", file=str(path), path=f"counties[{i}]")
            continue
        end = str(end) if end else None
        if end is not None and end <= since:
            continue
        rows.append(Row(code, name, max(start, since), end, name, name))
    return sorted(rows, key=lambda r: (r.code, r.valid_from))


def _items(payload: dict) -> dict[str, str]:
    return {str(i.get("code")): str(i.get("name") or "") for i in payload.get("classificationItems") or []}


def counties_from_klass(reader: KlassReader, *, since: str, report: ValidationReport) -> tuple[list[Row], list[str]]:
    """County rows from the Klass 104 versions valid since a date (names in nb, nn and en), and the requests made."""
    doc = reader.classification(COUNTIES)
    versions = [v for v in doc.payload.get("versions") or [] if not v.get("validTo") or v["validTo"] > since]
    versions.sort(key=lambda v: v["validFrom"])
    requests = [doc.request]
    built = []
    for v in versions:
        names = {}
        for language in ("nb", "nn", "en"):
            vdoc = reader.version(int(v["id"]), language=language)
            requests.append(vdoc.request)
            names[language] = _items(vdoc.payload)
        items = [(code, name, names["nn"].get(code, name), names["en"].get(code, name)) for code, name in names["nb"].items()]
        built.append((max(v["validFrom"], since), v.get("validTo"), sorted(items)))
    if not built:
        report.add(f"Klass {COUNTIES} has no version valid since {since}", file=doc.origin)
    return rows_from_versions(built), requests


def former_county_names(*, path: Path = COUNTIES_FILE) -> dict[str, str]:
    """Names of county codes before the registry's coverage (for the old side of county code changes): the
    table's ``former_names``, and for the codes it lists, the name of their first entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    names = {str(k): str(v) for k, v in (data.get("former_names") or {}).items()}
    for item in sorted(data.get("counties") or [], key=lambda c: str(c.get("valid_from")), reverse=True):
        names[str(item["code"])] = str(item["name"])
    return names
