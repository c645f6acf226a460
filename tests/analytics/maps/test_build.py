"""The shipped boundaries are built by our own command from Kartverket's files, byte for byte; bad input is located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import shared_path
from typer.testing import CliRunner

from dugnad.analytics.maps.boundaries import BOUNDARY_SETS, boundary_set_for
from dugnad.analytics.maps.build import topologies_build, topology_build
from dugnad.analytics.report import InputError
from dugnad.cli.main import app

SHIPPED = Path(__file__).resolve().parents[3] / "src" / "dugnad" / "web" / "static" / "web" / "maps"


def test_the_period_shown_chooses_the_boundaries():
    assert [boundary_set_for(year).period for year in (2015, 2020, 2023, 2024, 2031)] == ["2020", "2020", "2020", "2024", "2024"]


def test_the_shipped_files_are_rebuilt_byte_for_byte_from_kartverkets_files(tmp_path):
    source = shared_path("no/geo")
    result = CliRunner().invoke(app, ["maps", "build", "--from", str(source), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for boundary_set in BOUNDARY_SETS:
        built = (tmp_path / boundary_set.filename).read_bytes()
        assert built == (SHIPPED / boundary_set.filename).read_bytes(), f"run: dugnad maps build --from {source}"


def test_the_shipped_files_hold_every_unit_small_and_with_shared_borders():
    expected = {"2020": (356, 11), "2024": (357, 15)}
    for boundary_set in BOUNDARY_SETS:
        path = SHIPPED / boundary_set.filename
        assert path.stat().st_size < 300 * 1024
        topology = json.loads(path.read_text(encoding="utf-8"))
        municipalities = topology["objects"]["kommuner"]["geometries"]
        counties = topology["objects"]["fylker"]["geometries"]
        assert (len(municipalities), len(counties)) == expected[boundary_set.period]
        codes = [g["properties"]["code"] for g in municipalities]
        assert codes == sorted(codes) and all(len(c) == 4 for c in codes)
        assert {c[:2] for c in codes} == {g["properties"]["code"] for g in counties}
        assert {g["properties"]["name"] for g in counties if g["properties"]["code"] == "03"} == {"Oslo"}
        assert "transform" in topology, "quantised"
        county_arcs = {i if i >= 0 else ~i for g in counties for ring in _rings(g) for i in ring}
        municipal_arcs = {i if i >= 0 else ~i for g in municipalities for ring in _rings(g) for i in ring}
        county_only = sum(len(topology["arcs"][i]) for i in county_arcs - municipal_arcs)
        assert county_only < 0.02 * sum(len(arc) for arc in topology["arcs"]), "county borders reuse the municipal arcs"


def _rings(geometry: dict) -> list[list[int]]:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [ring for polygon in polygons for ring in polygon]


def _square(x: float, y: float, size: float = 1.0) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def _write(path: Path, features: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


@pytest.fixture
def small_source(tmp_path):
    """A made-up two-county country in the 2024 layout, with the expected counts lowered to match."""
    from dugnad.analytics.maps import boundaries

    layers = BOUNDARY_SETS[1]
    municipalities = [{"type": "Feature", "properties": {"kommunenummer": code, "kommunenavn": name}, "geometry": _square(x, 60)}
                      for code, name, x in (("4601", "A", 5), ("4602", "B", 6), ("1101", "C", 7))]
    counties = [{"type": "Feature", "properties": {"fylkesnummer": "46", "fylkesnavn": "Vest"}, "geometry": None},
                {"type": "Feature", "properties": {"fylkesnummer": "11", "fylkesnavn": "Sør"}, "geometry": None}]
    _write(tmp_path / layers.municipalities.path, municipalities)
    _write(tmp_path / layers.counties.path, counties)
    small = boundaries.BoundarySet(
        period="2024", first_year=2024,
        municipalities=boundaries.SourceLayer(layers.municipalities.path, "kommunenummer", "kommunenavn", 4, 3),
        counties=boundaries.SourceLayer(layers.counties.path, "fylkesnummer", "fylkesnavn", 2, 2),
    )
    return tmp_path, small, municipalities, counties


def test_a_small_source_builds_with_dissolved_counties(small_source):
    source, small, _municipalities, _counties = small_source
    topology = json.loads(topology_build(small, source).content)
    assert [g["properties"] for g in topology["objects"]["kommuner"]["geometries"]] == [
        {"code": "1101", "name": "C"}, {"code": "4601", "name": "A"}, {"code": "4602", "name": "B"}]
    assert [g["properties"] for g in topology["objects"]["fylker"]["geometries"]] == [
        {"code": "11", "name": "Sør"}, {"code": "46", "name": "Vest"}]


def test_a_feature_without_a_code_is_a_located_error_and_nothing_is_built(small_source):
    source, small, municipalities, _counties = small_source
    municipalities[1]["properties"]["kommunenummer"] = "46O2"
    _write(source / small.municipalities.path, municipalities)
    with pytest.raises(InputError) as caught:
        topology_build(small, source)
    problem = caught.value.report.errors[0]
    assert (problem.row, problem.column, problem.value) == (2, "kommunenummer", "46O2")
    assert problem.file.endswith("Kommuner-S.geojson")


def test_a_county_without_municipalities_is_named(small_source):
    source, small, _municipalities, counties = small_source
    counties.append({"type": "Feature", "properties": {"fylkesnummer": "50", "fylkesnavn": "Midt"}, "geometry": None})
    _write(source / small.counties.path, counties)
    bigger = type(small)(small.period, small.first_year, small.municipalities,
                         type(small.counties)(small.counties.path, "fylkesnummer", "fylkesnavn", 2, 3))
    with pytest.raises(InputError) as caught:
        topology_build(bigger, source)
    assert [(p.reason, p.value) for p in caught.value.report.errors] == [("county has no municipalities", "50")]


def test_a_missing_file_or_a_wrong_count_is_reported_by_the_command(tmp_path):
    result = CliRunner().invoke(app, ["maps", "build", "--from", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    output = result.output.replace("\n", "")
    assert "Kommuner-medium.topojson" in output and "file not found" in output
    assert not (tmp_path / "out").exists()
    with pytest.raises(InputError) as caught:
        _write(tmp_path / "2020" / "Kommuner-medium.topojson", [])
        topologies_build(tmp_path)
    assert "expected 356 units, found 0" in caught.value.report.as_text()
