"""The map specs: a choropleth from a tidy table (values or four-colour status), a locator map, drawn by vl-convert."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dugnad.analytics.maps.spec import (
    STATUS_COLOURS,
    MapMode,
    MapText,
    choropleth_spec,
    locator_spec,
    map_summary,
    number_text,
)

SHIPPED = Path(__file__).resolve().parents[3] / "src" / "dugnad" / "web" / "static" / "web" / "maps"
STATUS_TEXT = {"green": "Mål nådd", "yellow": "Utfordringer gjenstår", "orange": "Betydelige utfordringer",
               "red": "Store utfordringer"}


@pytest.fixture(scope="module")
def topology():
    return json.loads((SHIPPED / "2024.topo.json").read_text(encoding="utf-8"))


def lookup_table(spec: dict) -> dict[str, dict]:
    """The rows the spec joins onto the shapes, by unit code."""
    lookup = next(t for t in spec["transform"] if "lookup" in t)
    return {row["code"]: row for row in lookup["from"]["data"]["values"]}


def test_numbers_are_written_as_the_language_writes_them():
    assert number_text(17446.5, lang="nb") == "17\u00a0446,5"
    assert number_text(17446.5, lang="nn") == "17\u00a0446,5"
    assert number_text(17446.5, lang="en") == "17,446.5"
    assert number_text(80.0, lang="nb") == "80"
    assert number_text(0.125, lang="en", decimals=2) == "0.13", "half up, as people round"
    assert number_text(-2.25, lang="nb") == "-2,3"


def test_a_value_map_joins_the_table_on_the_unit_code_and_says_which_units_have_no_value(topology):
    rows = [{"code": "4601", "name": "Bergen", "value": 79.57}, {"code": "0301", "name": "Oslo", "value": None},
            {"code": "1804", "name": "Bodø", "value": float("nan")}]
    text = MapText(description="Kart over kommunene", unit="Kommune", value="Verdi (prosent)", missing="Mangler data")
    spec = choropleth_spec(topology=topology, layer="kommuner", rows=rows, text=text, lang="nb")

    assert spec["data"]["format"] == {"type": "topojson", "feature": "kommuner"}
    assert spec["data"]["values"] is topology
    assert spec["description"] == "Kart over kommunene"
    table = lookup_table(spec)
    assert table["4601"] == {"code": "4601", "name": "Bergen", "value": 79.57, "display": "79,6"}
    assert table["0301"]["value"] is None and table["0301"]["display"] == "Mangler data"
    assert table["1804"]["value"] is None, "NaN is no value"
    missing_layer, value_layer = spec["layer"]
    assert missing_layer["transform"][0] == {"filter": "!isValid(datum.value)"}
    assert missing_layer["encoding"]["fill"]["scale"]["range"] == ["#d9d9d9"]
    assert value_layer["encoding"]["color"]["scale"] == {"scheme": "viridis"}
    assert value_layer["encoding"]["color"]["title"] == "Verdi (prosent)"
    assert [t["title"] for t in value_layer["encoding"]["tooltip"]] == ["Kommune", "Verdi (prosent)"]
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_a_status_map_uses_the_four_colours_with_their_words_in_the_legend(topology):
    rows = [{"code": "46", "name": "Vestland", "status": "red"}, {"code": "03", "name": "Oslo", "status": "green"},
            {"code": "18", "name": "Nordland", "status": None}]
    text = MapText(description="Fylkene", unit="Fylke", value="Status", missing="Mangler data", status=STATUS_TEXT)
    spec = choropleth_spec(topology=topology, layer="fylker", rows=rows, text=text, mode=MapMode.STATUS)

    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Mål nådd", "Utfordringer gjenstår", "Betydelige utfordringer", "Store utfordringer",
                               "Mangler data"]
    assert scale["range"] == [STATUS_COLOURS[c] for c in ("green", "yellow", "orange", "red", "grey")]
    table = lookup_table(spec)
    assert table["46"]["status_label"] == "Store utfordringer" and table["46"]["display"] == "Store utfordringer"
    assert table["18"]["status_label"] == "Mangler data"


def test_within_keeps_one_countys_municipalities_and_the_web_gets_a_url(topology):
    text = MapText(description="Vestland")
    spec = choropleth_spec(topology="/static/web/maps/2024.topo.json", layer="kommuner", rows=[], text=text, within="46")
    assert spec["data"]["url"] == "/static/web/maps/2024.topo.json"
    assert spec["transform"][0] == {"filter": 'indexof(datum.properties.code, "46") === 0'}
    assert spec["width"] == "container" and spec["autosize"]["type"] == "fit"


def test_a_locator_map_highlights_the_unit_among_its_neighbours(topology):
    text = MapText(description="Bergen i Vestland", unit="Kommune", value="Bergen", missing="Andre kommuner i Vestland")
    spec = locator_spec(topology=topology, layer="kommuner", highlight="4601", within="46", text=text,
                        names={"4601": "Bergen", "4602": "Kinn"})
    assert spec["encoding"]["color"]["scale"] == {"domain": ["Bergen", "Andre kommuner i Vestland"],
                                                  "range": ["#0062ba", "#c9ced6"]}
    role = next(t for t in spec["transform"] if t.get("as") == "role")
    assert role["calculate"].startswith('datum.properties.code === "4601"')
    everything = locator_spec(topology=topology, layer="fylker", highlight=None, text=text)
    assert next(t for t in everything["transform"] if t.get("as") == "role")["calculate"].startswith("true ?")


def test_the_summary_names_the_highest_and_lowest_unit_and_counts_the_missing():
    summary = map_summary([{"code": "1", "name": "A", "value": 3.0}, {"code": "2", "name": "B", "value": 9.5},
                           {"code": "3", "name": "C", "value": None}])
    assert (summary.count, summary.missing, summary.highest, summary.lowest) == (3, 1, ("B", 9.5), ("A", 3.0))
    assert map_summary([]).highest is None


def test_vl_convert_draws_the_municipality_map_offline_as_svg(topology):
    """The PDF path: the topology is inlined, so vl-convert needs no network; every municipality becomes a path."""
    vl_convert = pytest.importorskip("vl_convert")
    codes = [g["properties"]["code"] for g in topology["objects"]["kommuner"]["geometries"]]
    rows = [{"code": code, "name": code, "value": None if i % 50 == 0 else float(i)} for i, code in enumerate(codes)]
    text = MapText(description="Alle kommuner", value="Verdi", missing="Mangler data")
    spec = choropleth_spec(topology=topology, layer="kommuner", rows=rows, text=text, width=400, height=500)
    assert "url" not in spec["data"] and spec["data"]["values"] is topology
    svg = vl_convert.vegalite_to_svg(spec)
    assert svg.startswith("<svg")
    shapes = re.findall(r'<path[^>]*aria-roledescription="geoshape"', svg)
    assert len(shapes) == len(codes) == 357
    assert "Mangler data" in svg and "Verdi" in svg
