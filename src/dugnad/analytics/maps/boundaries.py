"""Boundary sets: which Kartverket boundaries serve which years, and reading their GeoJSON or TopoJSON files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from dugnad.analytics.report import InputError, ValidationReport

#: TopoJSON object names in the shipped files: municipalities and counties.
MUNICIPALITIES = "kommuner"
COUNTIES = "fylker"
ATTRIBUTION = "Kartverket (CC BY 4.0)"


@dataclass(frozen=True)
class SourceLayer:
    """One boundary file of a source directory: its path and where code and name are in the properties."""

    path: str
    code_field: str
    name_field: str
    code_width: int
    count: int
    topojson_object: str | None = None


@dataclass(frozen=True)
class BoundarySet:
    """The boundaries in force from one year (until the next set): the shipped file and the files it is built from."""

    period: str
    first_year: int
    municipalities: SourceLayer
    counties: SourceLayer

    @property
    def filename(self) -> str:
        """Name of the shipped TopoJSON file."""
        return f"{self.period}.topo.json"


#: Norway's boundaries since the 2020 reform, oldest first. Counties are dissolved from the municipalities
#: (so their borders coincide exactly); the county files give the official county names and the expected codes.
BOUNDARY_SETS: tuple[BoundarySet, ...] = (
    BoundarySet(
        period="2020", first_year=2020,
        municipalities=SourceLayer("2020/Kommuner-medium.topojson", "kommunenummer", "navn", 4, 356, "Kommuner"),
        counties=SourceLayer("2020/Fylker-small.json", "fylkesnummer", "navn", 2, 11),
    ),
    BoundarySet(
        period="2024", first_year=2024,
        municipalities=SourceLayer("2024/Kommuner-S.geojson", "kommunenummer", "kommunenavn", 4, 357),
        counties=SourceLayer("2024/Fylker-S.geojson", "fylkesnummer", "fylkesnavn", 2, 15),
    ),
)  # fmt: skip


def boundary_set_for(year: int) -> BoundarySet:
    """The boundary set for a year: 2020–2023 use the 2020 boundaries, 2024 and later the 2024 ones.

    Years before 2020 also get the 2020 boundaries: Dugnad carries older series onto the units of the
    2020 structure, so that is the oldest map it needs.
    """
    chosen = BOUNDARY_SETS[0]
    for boundary_set in BOUNDARY_SETS:
        if year >= boundary_set.first_year:
            chosen = boundary_set
    return chosen


@dataclass(frozen=True)
class Area:
    """One unit's boundary: its code, official name and a GeoJSON geometry."""

    code: str
    name: str
    geometry: dict


def _features(path: Path, layer: SourceLayer) -> list[dict]:
    """The GeoJSON features of a GeoJSON file, or of one object of a TopoJSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _error(path, "file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _error(path, f"not a JSON file ({exc})") from None
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "Topology":
        from topojson.utils import serialize_as_geojson

        name = layer.topojson_object or ""
        if name not in data.get("objects", {}):
            raise _error(path, f"the TopoJSON has no object {name!r} (it has {sorted(data.get('objects', {}))})")
        return serialize_as_geojson(data, objectname=name, order="CW_CCW")["features"]
    if kind == "FeatureCollection":
        return data.get("features") or []
    raise _error(path, f"expected a GeoJSON FeatureCollection or a TopoJSON Topology, found type {kind!r}")


def _error(path: Path, reason: str, row: int | None = None, column: str | None = None, value: str | None = None) -> InputError:
    """An InputError with one located problem."""
    report = ValidationReport(source=str(path))
    report.add(reason, file=str(path), row=row, column=column, value=value)
    return InputError(report)


def areas_read(source: Path, layer: SourceLayer, *, geometry: bool = True) -> list[Area]:
    """The areas of one source layer, sorted by code; every feature must have a code, a name and a geometry."""
    path = source / layer.path
    features = _features(path, layer)
    report = ValidationReport(source=str(path))
    areas: dict[str, Area] = {}
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        raw_code, name = props.get(layer.code_field), props.get(layer.name_field)
        code = str(raw_code).strip().zfill(layer.code_width) if raw_code not in (None, "") else ""
        where = {"file": str(path), "row": number}
        if not code.isdigit() or len(code) != layer.code_width:
            report.add(f"feature needs a {layer.code_width}-digit unit code", column=layer.code_field,
                       value=None if raw_code is None else str(raw_code), **where)
            continue
        if not name:
            report.add("feature has no name", column=layer.name_field, **where)
        if geometry and not (feature.get("geometry") or {}).get("coordinates"):
            report.add("feature has no geometry", column="geometry", value=code, **where)
        if code in areas:
            report.add("unit code appears twice", column=layer.code_field, value=code, **where)
        areas[code] = Area(code=code, name=str(name or ""), geometry=feature.get("geometry") or {})
    if not report.errors and len(areas) != layer.count:
        report.add(f"expected {layer.count} units, found {len(areas)}", file=str(path))
    if report.errors:
        raise InputError(report)
    return [areas[code] for code in sorted(areas)]
