"""Maps in the publications (locator in the VLR, municipalities in the county review, counties in the VSR), the
spec-hash chart cache, and narratives tagged with the language their writer chose."""

from __future__ import annotations

import json

import pytest

from dugnad.analytics.maps.spec import STATUS_COLOURS
from dugnad.publications import charts
from dugnad.publications.builders.county import county_review_build
from dugnad.publications.builders.vlr import vlr_build
from dugnad.publications.builders.vsr import vsr_build
from dugnad.publications.charts import SvgEngine, line_spec, spec_key
from dugnad.publications.document import Chart, Table
from dugnad.publications.maps import topology_for, topology_subset
from dugnad.publications.renderers import render
from dugnad.publications.renderers.pdf import pdf_data
from dugnad.rounds.editing import submission_narrative_save
from dugnad.units.models import Unit
from tests.factories import submission_of
from tests.publications.conftest import pdf_text


def _blocks_after(document, chart_id: str) -> tuple[Chart, Table]:
    for section in document.sections:
        for i, block in enumerate(section.blocks):
            if isinstance(block, Chart) and block.id == chart_id:
                return block, section.blocks[i + 1]
    raise AssertionError(f"no chart {chart_id}")


def _codes(spec: dict) -> list[str]:
    layer = spec["data"]["format"]["feature"]
    return sorted(g["properties"]["code"] for g in spec["data"]["values"]["objects"][layer]["geometries"])


def test_boundaries_follow_the_period():
    assert len(topology_for(2023)["objects"]["fylker"]["geometries"]) == 11
    assert len(topology_for(2024)["objects"]["fylker"]["geometries"]) == 15
    assert len(topology_for(2025)["objects"]["kommuner"]["geometries"]) == 357


def test_a_topology_subset_keeps_the_same_rings_with_fewer_arcs():
    full = topology_for(2024)
    subset = topology_subset(full, "kommuner", {"4601", "4602"})
    assert _codes({"data": {"values": subset, "format": {"feature": "kommuner"}}}) == ["4601", "4602"]
    assert 0 < len(subset["arcs"]) < len(full["arcs"]) and subset["transform"] == full["transform"]

    def rings(topology, code):
        geometry = next(g for g in topology["objects"]["kommuner"]["geometries"] if g["properties"]["code"] == code)
        flat = []

        def walk(arcs):
            if isinstance(arcs, int):
                flat.append(topology["arcs"][arcs] if arcs >= 0 else topology["arcs"][~arcs][::-1])
            else:
                for a in arcs:
                    walk(a)

        walk(geometry["arcs"])
        return flat

    assert rings(subset, "4601") == rings(full, "4601")


def test_vlr_has_a_locator_map_with_alt_text_and_a_table(published, tmp_path):
    document = vlr_build(unit=published.world.units["4601"], round_=published.round, lang="nb")
    chart, table = _blocks_after(document, "vlr-locator")
    assert chart.alt.startswith("Kart som viser hvor Bergen ligger blant de 2 kommunene i Vestland")
    assert _codes(chart.spec) == ["4601", "4602"]  # only the county's municipalities are drawn
    assert table.caption == "Kommunene i Vestland" and ["Bergen (denne enheten)", "4601"] in table.rows
    html = render(document, "html").content.decode()
    assert 'role="img" aria-label="Kart som viser hvor Bergen ligger' in html and "<caption>Kommunene i Vestland" in html
    text = " ".join(pdf_text(render(document, "pdf").content, tmp_path))
    assert "Hvor Bergen ligger" in text and "Kartgrunnlag: Kartverket (CC BY 4.0)" in text


def test_county_review_maps_its_municipalities_in_the_four_colours(published):
    document = county_review_build(unit=published.world.units["46"], round_=published.round, lang="nb")
    chart, table = _blocks_after(document, "county-municipality-map")
    assert chart.title.startswith("Kommunene i Vestland: status på mål") and "farget etter status" in chart.alt
    assert _codes(chart.spec) == ["4601", "4602"]
    assert chart.spec["encoding"]["color"]["scale"]["range"] == list(STATUS_COLOURS.values())  # SDG colours + grey
    assert {row[0] for row in table.rows} == {"Bergen", "Kinn"} and table.header[0] == "Kommune"


def test_vsr_maps_every_county_with_a_table(published, tmp_path):
    document = vsr_build(round_=published.round, lang="en")
    chart, table = _blocks_after(document, "vsr-county-map")
    counties = sorted(Unit.objects.current().filter(level__code="county").values_list("code", flat=True))
    assert chart.alt.startswith("Map of the counties coloured by their status on goal")
    assert len(table.rows) == len(counties) and table.header == ["County", "Score", "Status"]
    assert set(_codes(chart.spec)) == set(counties) & {"46", "03", "50", "55", "56", "15", "18", "11", "42", "31",
                                                        "32", "33", "34", "39", "40"}
    text = " ".join(pdf_text(render(document, "pdf").content, tmp_path))
    assert chart.title in text


def test_the_chart_cache_renders_a_spec_once_across_documents_and_processes(tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "CACHE_ROOT", tmp_path / "cache")
    charts.cache_clear_memory()
    spec = line_spec(title="T", series=[{"series": "A", "period": "2024", "value": 1.0}], unit_of_measure="%")
    # line charts are drawn natively (publications.linechart); the cache is for what vl-convert draws
    first = SvgEngine(native=False)
    svg = first.render(spec)
    assert first.rendered == 1 and svg.startswith("<svg")
    second = SvgEngine(native=False)  # another document of the batch
    assert second.render(json.loads(json.dumps(spec))) == svg and second.rendered == 0
    charts.cache_clear_memory()  # another process: only the disk cache is shared
    third = SvgEngine(native=False)
    assert third.render(spec) == svg and third.rendered == 0
    assert len(list((tmp_path / "cache").rglob("*.svg.z"))) == 1
    other = {**spec, "data": {"values": [{"series": "A", "period": "2024", "value": 2.0}]}}
    assert spec_key(other) != spec_key(spec)
    assert SvgEngine(cache=False, native=False).render(spec) == svg


def test_the_renderer_version_is_part_of_the_key(monkeypatch):
    spec = {"mark": "point"}
    before = spec_key(spec)
    monkeypatch.setattr(charts, "renderer_version", lambda: "vl-convert 0.0.0")
    assert spec_key(spec) != before


def test_a_nynorsk_narrative_in_a_bokmal_vlr_is_tagged_nn(published):
    sub = submission_of(published.round, "4601")
    sub.state = "draft"
    sub.save()
    narrative = sub.narratives.get(key="goal:3")
    submission_narrative_save(user=published.world.users["admin"], submission=sub, key="goal:3",
                              text="Helsa i Bergen er god.", version=narrative.version, language="nn")
    document = vlr_build(unit=published.world.units["4601"], round_=published.round, lang="nb")
    html = render(document, "html").content.decode()
    assert '<article class="publication" lang="nb">' in html
    assert '<div class="narrative" lang="nn"><p>Helsa i Bergen er god.</p>' in html
    assert '<div class="narrative" lang="nb"><p>Vi bruker' in html  # the opening stays bokmål
    blocks = [b for s in pdf_data(document)["sections"] for b in s["blocks"] if b["kind"] == "narrative"]
    assert {b["lang"] for b in blocks if "Helsa" in b["text"]} == {"nn"}  # typst sets #text(lang: b.lang)
    stored = document.as_dict()  # what a kept version's snapshot holds
    assert any(b.get("lang") == "nn" for s in stored["sections"] for b in s["blocks"] if b["kind"] == "narrative")


@pytest.fixture(autouse=True)
def _chart_cache(tmp_path, monkeypatch):
    """Every test here keeps its chart cache to itself."""
    monkeypatch.setattr(charts, "CACHE_ROOT", tmp_path / "chart-cache")
    charts.cache_clear_memory()


def test_an_approved_submissions_snapshot_keeps_each_narratives_language(published):
    from dugnad.rounds.models import Snapshot

    snapshot = Snapshot.objects.filter(submission=submission_of(published.round, "0301")).latest("taken_at")
    assert snapshot.data["narrative_languages"] == {"chapter:opening": "nb", "goal:3": "nb"}
    assert set(snapshot.data["narratives"]) == set(snapshot.data["narrative_languages"])
