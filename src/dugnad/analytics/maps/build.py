"""Building the shipped TopoJSON: municipalities and dissolved counties, simplified along shared borders and quantised."""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from dugnad.analytics.maps.boundaries import (
    BOUNDARY_SETS,
    COUNTIES,
    MUNICIPALITIES,
    Area,
    BoundarySet,
    areas_read,
)
from dugnad.analytics.report import InputError, ValidationReport

#: Douglas–Peucker tolerance in degrees (about 0.5–1 km in Norway), applied once per shared border.
SIMPLIFY_DEGREES = 0.01
#: Quantisation of the output grid (per axis); 50 000 steps is about 30 m across Norway.
QUANTIZE = 50_000


@dataclass(frozen=True)
class BuiltTopology:
    """A built TopoJSON file: its name, bytes and what it holds."""

    filename: str
    content: bytes
    municipalities: int
    counties: int


def _dissolve(municipalities: list[Area], county_names: dict[str, str], source: str) -> list[Area]:
    """Counties as the union of their municipalities (code = first two digits), named from the county file."""
    import shapely
    from shapely.geometry import mapping, shape

    parts: dict[str, list] = {}
    for area in municipalities:
        parts.setdefault(area.code[:2], []).append(shapely.make_valid(shape(area.geometry)))
    if set(parts) != set(county_names):
        report = ValidationReport(source=source)
        for code in sorted(set(parts) - set(county_names)):
            report.add("municipalities belong to a county the county file does not have", file=source, value=code)
        for code in sorted(set(county_names) - set(parts)):
            report.add("county has no municipalities", file=source, value=code)
        raise InputError(report)
    return [Area(code=code, name=county_names[code], geometry=mapping(shapely.union_all(parts[code]))) for code in sorted(parts)]


def _collection(layers: dict[str, list[Area]]) -> dict:
    """One GeoJSON FeatureCollection of every layer's areas (valid polygons) with ``layer``, ``code`` and ``name``."""
    import shapely
    from shapely.geometry import mapping, shape

    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"layer": layer, "code": a.code, "name": a.name},
         "geometry": mapping(shapely.make_valid(shape(a.geometry), method="structure", keep_collapsed=False))}
        for layer, areas in layers.items() for a in areas
    ]}


def _split(topology: dict) -> dict:
    """The single object the library builds split into one GeometryCollection per layer (arcs stay shared)."""
    objects: dict[str, dict] = {}
    for geometries in topology.pop("objects").values():
        for geometry in geometries["geometries"]:
            geometry.pop("id", None)  # the row index the library adds; the unit code identifies a shape
            layer = geometry["properties"].pop("layer")
            objects.setdefault(layer, {"type": "GeometryCollection", "geometries": []})["geometries"].append(geometry)
    topology["objects"] = objects
    return topology


def _ring_area(ring: list[int], arcs: list) -> float:
    """Twice the signed planar area of a ring of arc indices (positive = counter-clockwise in lon/lat)."""
    points = []
    for index in ring:
        coords = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(coords if not points else coords[1:])
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(points))


def _rewind(topology: dict) -> dict:
    """Exterior rings clockwise and holes counter-clockwise, as D3 and Vega expect of spherical polygons.

    Simplifying along shared borders can leave a small ring the other way round, which a spherical
    renderer draws as the whole globe minus that ring; reversing the ring's arc list fixes it.
    """
    from topojson.utils import arc_coordinates

    arcs = arc_coordinates(topology["arcs"], topology.get("transform"))
    for collection in topology["objects"].values():
        for geometry in collection["geometries"]:
            polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
            for polygon in polygons:
                for position, ring in enumerate(polygon):
                    if (_ring_area(ring, arcs) > 0) == (position == 0):
                        polygon[position] = [~index for index in reversed(ring)]
    return topology


def topology_build(boundary_set: BoundarySet, source: Path) -> BuiltTopology:
    """The TopoJSON of one boundary set, with the objects ``kommuner`` and ``fylker`` sharing their arcs."""
    import topojson

    municipalities = areas_read(source, boundary_set.municipalities)
    county_file = source / boundary_set.counties.path
    county_names = {a.code: a.name for a in areas_read(source, boundary_set.counties, geometry=False)}
    counties = _dissolve(municipalities, county_names, str(county_file))
    topology = _rewind(_split(topojson.Topology(
        _collection({MUNICIPALITIES: municipalities, COUNTIES: counties}), object_name="boundaries",
        toposimplify=SIMPLIFY_DEGREES, prevent_oversimplify=True, topoquantize=QUANTIZE,
    ).to_dict()))
    content = json.dumps(topology, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return BuiltTopology(boundary_set.filename, content + b"\n", len(municipalities), len(counties))


def topologies_build(source: Path) -> list[BuiltTopology]:
    """Every boundary set built from a source directory (nothing is returned unless all of them build)."""
    return [topology_build(boundary_set, source) for boundary_set in BOUNDARY_SETS]
