"""The VLR: document model snapshot, HTML and tagged PDF/UA-1 output checked against the database."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from dugnad.analytics.report import InputError
from dugnad.catalogue.models import Goal
from dugnad.common.labels import DEMO_LABEL_NB
from dugnad.observations.models import Observation
from dugnad.publications.builders.names import number
from dugnad.publications.builders.vlr import vlr_build
from dugnad.publications.renderers import render
from tests.publications.conftest import VALUES_A, pdf_text, published_world

SNAPSHOT = Path(__file__).parent / "snapshots" / "vlr_4601_nb.json"
CHAPTERS = {
    "nb": ["Åpningsord", "Høydepunkter", "Innledning og metode", "Politikk og rammebetingelser", "Framdrift per mål",
           "Virkemidler for gjennomføring", "Veien videre", "Vedlegg: data, kilder og metode", "Referanser"],
    "nn": ["Opningsord", "Høgdepunkt", "Innleiing og metode", "Politikk og rammevilkår", "Framdrift per mål",
           "Verkemiddel for gjennomføring", "Vegen vidare", "Vedlegg: data, kjelder og metode", "Referansar"],
    "en": ["Opening statement", "Highlights", "Introduction and method", "Policy and enabling environment",
           "Progress per goal", "Means of implementation", "Next steps", "Annex: data, sources and method", "References"],
}  # fmt: skip
LATEST = {"nb": "71,5", "nn": "71,5", "en": "71.5"}


def _normalised(document, round_) -> dict:
    """The document as data with the values that change between runs (ids, dates, data hash) replaced."""
    data = document.as_dict()
    data["generated"] = "<generated>"
    for section in data["sections"]:
        for block in section["blocks"]:
            if block["kind"] == "chart" and block["spec"].get("data", {}).get("format", {}).get("type") == "topojson":
                spec = block["spec"]  # shared with the document: replaced, not changed
                block["spec"] = {**spec, "data": {**spec["data"], "values": "<boundaries>"}}  # see test_maps_and_cache
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    text = re.sub(r'"(round|submission)": \d+', r'"\1": "<id>"', text)
    text = re.sub(r"\b(runde|innlevering|round|submission) \d+", r"\1 <id>", text)
    text = re.sub(r"\bquestion:\d+", "question:<id>", text)
    text = re.sub(r'"id": "c\d+"', '"id": "c<indicator pk>"', text)
    text = re.sub(r"scorekjøring \d+, dataversjon [0-9a-f]+", "scorekjøring <run>, dataversjon <rev>", text)
    return json.loads(text)


def test_vlr_document_model_matches_the_snapshot(published):
    document = vlr_build(unit=published.world.units["4601"], round_=published.round, lang="nb")
    data = _normalised(document, published.round)
    if os.environ.get("DUGNAD_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert data == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_every_quoted_figure_and_narrative_has_a_reference_in_the_annex(published):
    document = vlr_build(unit=published.world.units["4601"], round_=published.round, lang="nb")
    keys = {r.key for r in document.references}
    used = set()
    for section in document.sections:
        for block in section.blocks:
            used.update(getattr(block, "refs", []) or [])
            if getattr(block, "ref", ""):
                used.add(block.ref)
    assert used and used <= keys
    opening = next(r for r in document.references if r.source == "chapter:opening")
    assert opening.unit == "4601" and opening.round == published.round.pk and opening.revision == 1


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_vlr_pdf_has_chapters_goal_names_unit_and_figures_in_the_language(published, lang, tmp_path):
    document = vlr_build(unit=published.world.units["4601"], round_=published.round, lang=lang)
    pages = pdf_text(render(document, "pdf").content, tmp_path)
    text = " ".join(pages)
    for title in CHAPTERS[lang]:
        assert title in text, title
    for goal in Goal.objects.order_by("number"):
        name = {"nb": goal.name_nb, "nn": goal.name_nn, "en": goal.name_en}[lang]
        assert f"{goal.number}. {name}" in text, name
    assert "Bergen" in text
    stored = Observation.objects.current().get(unit=published.world.units["4601"], indicator__code="T-A", period="2025")
    assert number(stored.value, lang) == LATEST[lang] and LATEST[lang] in text  # Bergen's T-A in 2025, as stored
    county = Observation.objects.current().get(unit=published.world.units["46"], indicator__code="T-A", period="2025")
    assert number(county.value, lang) in text
    assert "Vi bruker bærekraftsmålene i all planlegging." in text  # narrative as written
    assert DEMO_LABEL_NB not in text


def test_vlr_pdf_is_tagged_pdf_ua_1_with_alt_text_for_charts(published, tmp_path):
    document = vlr_build(unit=published.world.units["4601"], round_=published.round, lang="nb")
    charts = document.charts()
    assert charts and all(c.alt for c in charts)
    assert all(str(VALUES_A["4601"]["2025"]).replace(".", ",") in c.alt or "71,5" in c.alt
               for c in charts if c.title.startswith("Indikator T-A"))
    content = render(document, "pdf").content
    assert content.startswith(b"%PDF")
    assert b"/StructTreeRoot" in content and b"/MarkInfo" in content
    assert b"pdfuaid" in content  # PDF/UA-1 identification in the XMP metadata


def test_demo_round_is_marked_on_every_page(db, tmp_path):
    world = published_world(demo=True, deliver=False)
    from dugnad.rounds.editing import submission_narrative_save
    from tests.factories import submission_of

    sub = submission_of(world.round, "4601")
    submission_narrative_save(user=world.world.users["admin"], submission=sub, key="chapter:opening", text="Demo.",
                              version=0)
    document = vlr_build(unit=world.world.units["4601"], round_=world.round, lang="nn")
    pages = pdf_text(render(document, "pdf").content, tmp_path)
    assert len(pages) > 5 and all("Demodata – ikkje ekte tal" in page for page in pages)
    html = render(document, "html").content.decode()
    assert html.count("Demodata – ikkje ekte tal") >= 2


def test_vlr_html_is_accessible_and_links_references(published):
    document = vlr_build(unit=published.world.units["4601"], round_=published.round, lang="en")
    html = render(document, "html").content.decode()
    assert '<html lang="en">' in html and "<svg" in html
    assert 'role="img" aria-label="Line chart, Indikator T-A' in html
    assert '<th scope="col">Indicator</th>' in html
    assert 'href="#R1"' in html and 'id="R1"' in html
    assert '<div class="narrative" lang="nb">' in html and "<strong>bærekraftsmålene</strong>" in html


def test_a_unit_outside_the_round_or_an_unknown_language_is_a_located_error(published):
    with pytest.raises(InputError, match="--unit"):
        vlr_build(unit=published.world.units["46"], round_=published.round, lang="nb")
    with pytest.raises(InputError, match="--lang"):
        vlr_build(unit=published.world.units["4601"], round_=published.round, lang="de")


def test_demo_and_real_values_are_each_marked_in_the_vlr_tables_and_references(published):
    from dugnad.observations.models import ImportRun

    bergen = published.world.units["4601"]
    demo = ImportRun.objects.create(kind="demo", source="Dugnad", is_demo=True, status="ok")
    real = ImportRun.objects.create(kind="telemark", source="loader", status="ok", provenance={
        "name": "Statistisk sentralbyrå (SSB), tabell 06913", "licence": "CC BY 4.0"})
    Observation.objects.filter(unit=bergen, indicator__code="T-A").update(import_run=demo)
    Observation.objects.filter(unit=bergen).exclude(indicator__code="T-A").update(import_run=real)
    document = vlr_build(unit=bergen, round_=published.round, lang="nb")
    assert document.is_demo and document.demo_label.startswith("Noen tall er demodata")
    annex = next(s for s in document.sections if s.key == "annex").blocks[0]
    assert annex.header[-1] == "Opphav"
    notes = {(row[0], row[2]): row[-1] for row in annex.rows}
    assert notes[("T-A", "2025")] == "Demodata – ikke ekte tall"
    assert notes[("T-B", "2025")] == "Kilde: Statistisk sentralbyrå (SSB), tabell 06913 (lisens CC BY 4.0)"
    labels = [r.label for r in document.references]
    assert any("indikator T-A, periode 2025" in x and "kilde Demodata – ikke ekte tall" in x for x in labels)
    assert any("indikator T-B, periode 2025" in x and "kilde Statistisk sentralbyrå (SSB), tabell 06913 (lisens CC BY 4.0)"
               in x for x in labels)
    html = render(document, "html").content.decode()
    assert "Noen tall er demodata" in html and "Demodata – ikke ekte tall" in html
    nn = vlr_build(unit=bergen, round_=published.round, lang="nn")
    assert nn.demo_label.startswith("Nokre tal er demodata")
    annex = next(s for s in nn.sections if s.key == "annex").blocks[0]
    assert {row[-1] for row in annex.rows if row[0] == "T-B"} == {
        "Kjelde: Statistisk sentralbyrå (SSB), tabell 06913 (lisens CC BY 4.0)"}
