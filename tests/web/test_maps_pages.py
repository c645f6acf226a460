"""Maps on pages: the front page's demo choropleth and the unit page's locator map, each with alt text and a table."""

from __future__ import annotations

import json
import re

import pytest
from tests.factories import FrameworkFactory, IndicatorFactory, LevelFactory, UnitFactory

from dugnad.observations.models import ImportRun, Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def vestland():
    """Norway, Vestland and three of its municipalities (2024 codes)."""
    norway = UnitFactory(code="0", name="Norge", level=LevelFactory(code="country"))
    county = UnitFactory(code="46", name="Vestland", level=LevelFactory(code="county"), parent=norway)
    for code, name in (("4601", "Bergen"), ("4602", "Kinn"), ("4640", "Sogndal")):
        UnitFactory(code=code, name=name, parent=county)
    return county


def demo_values(values: dict[str, float | None], *, demo: bool = True) -> None:
    """The demo indicator D04.1 with one value per municipality for 2025 (and an older one for 2024)."""
    indicator = IndicatorFactory(framework=FrameworkFactory(code="dugnad-demo"), code="D04.1",
                                 name_nb="Gjennomføring i videregående opplæring", name_en="Completion of upper secondary",
                                 unit_of_measure="prosent")
    run = ImportRun.objects.create(kind="demo" if demo else "csv", source="test", is_demo=demo)
    for code, value in values.items():
        unit = UnitFactory(code=code)
        for period, v in (("2024", 50.0), ("2025", value)):
            Observation.objects.create(unit=unit, indicator=indicator, period=period, value=v, import_run=run,
                                       status="ok" if v is not None else "missing")


def figure(html: str, dom_id: str) -> str:
    match = re.search(rf'<figure class="dg-figure dg-map" id="{dom_id}".*?</figure>', html, re.S)
    assert match, f"no map {dom_id}"
    return match.group(0)


def spec_of(html: str, dom_id: str) -> dict:
    match = re.search(rf'<script id="{dom_id}-spec" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_front_page_maps_the_demo_indicator_labelled_as_demo_with_alt_text_and_a_table(client, vestland):
    demo_values({"4601": 79.5, "4602": 91.25, "4640": None})
    html = client.get("/").content.decode()
    block = figure(html, "demo-map")
    assert "Demodata – ikke ekte tall" in block
    assert "Gjennomføring i videregående opplæring per kommune, 2025" in block
    canvas = re.search(r'<div class="dg-figure__canvas[^"]*" role="img" tabindex="0" aria-label="([^"]+)"', block)
    assert canvas, "the map is focusable and labelled"
    alt = canvas.group(1)
    assert "Høyest: Kinn (91,3)" in alt and "Lavest: Bergen (79,5)" in alt and "1 kommuner mangler tall" in alt
    assert '<a href="/enheter/4602/">Kinn</a></th><td class="num">91,3</td>' in block
    assert "Kartgrunnlag: Kartverket (CC BY 4.0)" in block
    spec = spec_of(html, "demo-map")
    assert spec["data"]["url"].endswith("/web/maps/2024.topo.json")
    rows = next(t for t in spec["transform"] if "lookup" in t)["from"]["data"]["values"]
    assert {r["code"]: r["value"] for r in rows} == {"4601": 79.5, "4602": 91.25, "4640": None}


def test_english_pages_get_english_words_and_numbers_in_the_map(client, vestland):
    demo_values({"4601": 79.5, "4602": 1234.5, "4640": 80.0})
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    spec = spec_of(html, "demo-map")
    rows = next(t for t in spec["transform"] if "lookup" in t)["from"]["data"]["values"]
    assert {r["code"]: r["display"] for r in rows}["4602"] == "1,234.5"
    assert spec["config"]["locale"]["number"]["decimal"] == "."
    assert "Completion of upper secondary" in figure(html, "demo-map")


def test_no_demo_map_without_the_demo_indicator(client, vestland):
    html = client.get("/").content.decode()
    assert 'id="demo-map"' not in html and "4601 Bergen" in html


def test_values_that_are_not_demo_data_are_not_labelled_demo(client, vestland):
    demo_values({"4601": 79.5, "4602": 91.25, "4640": 70.0}, demo=False)
    assert "Demodata" not in figure(client.get("/").content.decode(), "demo-map")


def test_a_municipality_page_has_a_locator_map_of_its_county_with_the_neighbours_listed(client, vestland):
    html = client.get("/enheter/4601/").content.decode()
    block = figure(html, "locator-map")
    assert 'aria-label="Kart som viser hvor Bergen ligger i Vestland."' in block
    assert "Bergen (denne siden)" in block and '<a href="/enheter/4602/">Kinn</a>' in block
    assert "Kartgrunnlag: Kartverket (CC BY 4.0)" in block
    spec = spec_of(html, "locator-map")
    assert spec["transform"][0] == {"filter": 'indexof(datum.properties.code, "46") === 0'}
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Bergen", "Andre kommuner i Vestland"]


def test_a_county_page_locates_the_county_among_the_counties(client, vestland):
    spec = spec_of(client.get("/enheter/46/").content.decode(), "locator-map")
    assert spec["data"]["format"]["feature"] == "fylker" and spec["encoding"]["color"]["scale"]["domain"][0] == "Vestland"
