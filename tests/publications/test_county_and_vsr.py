"""The county review and the VSR, with the VSR's survey aggregates checked against a hand count on the test world."""

from __future__ import annotations

import pytest

from dugnad.analytics.report import InputError
from dugnad.publications.builders.county import county_review_build
from dugnad.publications.builders.vsr import answer_rows, vsr_build
from dugnad.publications.renderers import render
from tests.factories import submission_of
from tests.publications.conftest import pdf_text


def _table(document, section_key: str, caption_start: str):
    section = next(s for s in document.sections if s.key == section_key)
    return next(b for b in section.blocks if getattr(b, "caption", "").startswith(caption_start))


def test_vsr_counts_reporting_units_and_aggregates_survey_answers_like_a_hand_count(published):
    # Delivered: 4601 Bergen (ja, 4; Vestland; city), 4602 Kinn (nei, 2; Vestland; medium), 0301 Oslo (ja, 5; Oslo; city).
    document = vsr_build(round_=published.round, lang="nb")
    participation = next(s for s in document.sections if s.key == "participation")
    assert participation.blocks[0].text.startswith("3 av ")
    national = _table(document, "survey", "Egenvurdering: Hele landet")
    rows = {row[0]: row for row in national.rows}
    assert rows["Er bærekraftsmålene en del av kommuneplanens samfunnsdel?"][2:] == ["3", "66,7 % ja"]
    assert rows["Hvor godt er målene forankret i budsjettet?"][2:] == ["3", "snitt 3,7"]
    assert rows["Hvem leder arbeidet?"][2:] == ["3", "Ordfører: 1; Rådmann: 2"]
    by_county = {(r[0][:6], r[1]): r[2:] for r in _table(document, "survey", "Egenvurdering: Etter fylke").rows}
    assert by_county["Er bær", "Vestland"] == ["2", "50,0 % ja"]
    assert by_county["Er bær", "Oslo fylke"] == ["1", "100,0 % ja"]
    by_size = {(r[0][:6], r[1]): r[2:] for r in _table(document, "survey", "Egenvurdering: Etter kommunestørrelse").rows}
    assert by_size["Er bær", "100 000 innbyggere eller flere"] == ["2", "100,0 % ja"]
    assert by_size["Hvor g", "5 000–19 999 innbyggere"] == ["1", "snitt 2,0"]


def test_vsr_answer_rows_skip_drafts(published):
    assert {r.county for r in answer_rows(published.round)} == {"46", "03"}
    assert len(answer_rows(published.round)) == 9  # three units × three non-text questions


def test_vsr_pdf_in_english_has_summaries_and_goal_status(published, tmp_path):
    document = vsr_build(round_=published.round, lang="en")
    text = " ".join(pdf_text(render(document, "pdf").content, tmp_path))
    for title in ("Participation", "Results of the self-assessment", "Status per goal",
                  "Summaries of the local reviews", "Joint actions across levels"):
        assert title in text
    assert "Bergen" in text and "Oslo" in text and "Kinn" in text
    assert "Good Health and Well-being" in text


def test_county_review_has_matrix_rollups_and_gaps(published, tmp_path):
    document = county_review_build(unit=published.world.units["46"], round_=published.round, lang="nn")
    matrix = _table(document, "matrix", "Statusmatrise")
    assert [row[0] for row in matrix.rows] == ["Bergen", "Kinn"]
    assert matrix.rows[0][1] == "Levert"
    rollups = _table(document, "rollups", "Rulla verdiar")
    assert {row[0].rsplit(" (", 1)[-1].rstrip(")") for row in rollups.rows} == {"T-A", "T-B", "T-C"}
    text = " ".join(pdf_text(render(document, "pdf").content, tmp_path))
    assert "Fylkesgjennomgang 2025: Vestland" in text and "Statusmatrise for kommunane" in text


def test_county_review_needs_a_county(published):
    with pytest.raises(InputError, match="fylke"):
        county_review_build(unit=published.world.units["4601"], round_=published.round, lang="nb")


def test_county_review_lists_the_networks_of_the_county_and_its_municipalities(published):
    from dugnad.networks.models import Network, NetworkMember

    units = published.world.units
    vestland = Network.objects.create(name="Bærekraftsnettverket Vestland", lead_unit=units["46"])
    for code in ("4601", "4602", "0301"):
        NetworkMember.objects.create(network=vestland, unit=units[code])
    Network.objects.create(name="Oslo-nettverket", lead_unit=units["03"])
    document = county_review_build(unit=units["46"], round_=published.round, lang="nb")
    described = " ".join(b.text for s in document.sections if s.key == "actions" for b in s.blocks
                         if hasattr(b, "text"))
    assert "Bærekraftsnettverket Vestland (fylkesnettverk, ledes av Vestland): 3 medlemmer – Bergen, Kinn, Oslo." in described
    assert "Oslo-nettverket" not in described


def _texts(document) -> str:
    return " ".join(getattr(b, "text", "") for s in document.sections for b in s.blocks)


def test_county_review_holds_the_countys_own_texts_in_their_language_and_its_municipalities_participation(published):
    from dugnad.rounds.editing import submission_narrative_save

    units, users = published.world.units, published.world.users
    county = submission_of(published.round, "46")
    submission_narrative_save(user=users["vestland"], submission=county, key="chapter:county_assessment",
                              text="Kommunane i Vestland står sterkt på mål 4.", version=0, language="nn")
    document = county_review_build(unit=units["46"], round_=published.round, lang="nb")
    own = next(s for s in document.sections if s.key == "county_assessment")
    assert own.title == "Fylkets vurdering av kommunene"
    assert [(b.kind, b.text, b.lang) for b in own.blocks] == [
        ("narrative", "Kommunane i Vestland står sterkt på mål 4.", "nn")]
    assert "2 av 2 kommuner har levert." in _texts(document)
    html = render(document, "html").content.decode()
    assert 'lang="nn"' in html


def test_vsr_names_every_county_even_without_submissions_and_holds_ks_chapters(published):
    from dugnad.rounds.editing import submission_narrative_save
    from tests.factories import LevelFactory, UnitFactory

    units, users = published.world.units, published.world.users
    more = UnitFactory(code="15", name="Møre og Romsdal", level=LevelFactory(code="county"), parent=units["0"])
    for code in ("1505", "1506", "1507"):
        UnitFactory(code=code, level=LevelFactory(code="municipality"), parent=more)
    submission_narrative_save(user=users["ks"], submission=submission_of(published.round, "0"),
                              key="chapter:national_method", text="Tallene kommer fra SSB.", version=0)
    document = vsr_build(round_=published.round, lang="nb")
    participation = _table(document, "participation", "Deltakelse per fylke")
    rows = {r[0]: r for r in participation.rows}
    assert set(rows) == {"Vestland", "Oslo fylke", "Møre og Romsdal"}
    assert rows["Møre og Romsdal"][1] == "0 av 3" and rows["Vestland"][1] == "2 av 2"
    assert rows["Vestland"][-1] == "Utkast" and rows["Møre og Romsdal"][-1] == "deltar ikke"
    method = next(s for s in document.sections if s.key == "national_method")
    assert method.title == "Metode og datagrunnlag" and method.blocks[0].text == "Tallene kommer fra SSB."
    matrix = _table(document, "county_goals", "Antall mål per fylke")
    assert [r[0] for r in matrix.rows] == ["Oslo fylke", "Møre og Romsdal", "Vestland"]
    assert {s.title for s in document.sections if s.key.startswith("county-")} == {"Vestland", "Oslo fylke",
                                                                                  "Møre og Romsdal"}
    texts = _texts(document)
    for raw in ("on_track", " red ", "grey", "municipality"):
        assert raw not in texts
