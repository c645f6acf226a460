"""The county review and the VSR label demo per value: «X av Y verdier er demodata» under each table whose values
are partly demo, and a banner from the values (not from the round's demo flag)."""

from __future__ import annotations

import pytest

from dugnad.observations.models import ImportRun, Observation
from dugnad.publications.builders.county import county_review_build
from dugnad.publications.builders.vsr import vsr_build


def _texts(document, key: str) -> list[str]:
    section = next(s for s in document.sections if s.key == key)
    return [b.text for b in section.blocks if hasattr(b, "text") and not hasattr(b, "lang")]


def _kinn_demo(published) -> int:
    """Make Kinn's values demo; the number of its values in the round's indicators and years."""
    run = ImportRun.objects.create(kind="demo", source="test", is_demo=True, status="ok")
    kinn = Observation.objects.filter(unit__code="4602")
    kinn.update(import_run=run)
    return kinn.filter(indicator__in=published.round.indicators.all(), period__in=published.round.periods).count()


def _round_values(published, codes) -> int:
    return Observation.objects.filter(unit__code__in=codes, indicator__in=published.round.indicators.all(),
                                      period__in=published.round.periods).count()


def test_real_values_only_no_demo_text_and_no_banner(published):
    document = county_review_build(unit=published.world.units["46"], round_=published.round, lang="nb")
    assert not document.is_demo
    assert not any("demodata" in t for t in _texts(document, "matrix") + _texts(document, "rollups"))


@pytest.mark.parametrize(("lang", "words"), [("nb", "verdier er demodata"), ("nn", "verdiar er demodata"),
                                             ("en", "values are demo data")])
def test_county_review_says_how_many_values_are_demo_per_table(published, lang, words):
    demo = _kinn_demo(published)
    total = _round_values(published, ["4601", "4602"])
    assert 0 < demo < total
    document = county_review_build(unit=published.world.units["46"], round_=published.round, lang=lang)
    of = {"nb": "av", "nn": "av", "en": "of"}[lang]
    assert f"{demo} {of} {total} {words}" in _texts(document, "matrix")
    rollups = [t for t in _texts(document, "rollups") if words in t]
    assert len(rollups) == 1 and rollups[0].startswith("3 ")  # one of two members per indicator: Kinn's 3 values
    assert rollups[0].split()[2] == "6"
    # the round is not demo, but some values are: the banner says so, in the document's language
    assert document.is_demo
    assert document.demo_label.startswith({"nb": "Noen tall er demodata", "nn": "Nokre tal er demodata",
                                           "en": "Some figures are demo data"}[lang])


def test_vsr_says_how_many_municipal_and_county_values_are_demo(published):
    demo = _kinn_demo(published)
    municipal = Observation.objects.filter(unit__level__code__in=["municipality", "country"],
                                           indicator__in=published.round.indicators.all(),
                                           period__in=published.round.periods).count()
    document = vsr_build(round_=published.round, lang="nb")
    assert f"{demo} av {municipal} verdier er demodata" in _texts(document, "goals")
    assert not any("demodata" in t for t in _texts(document, "county_goals"))  # the counties' values are real
    assert document.is_demo and document.demo_label.startswith("Noen tall er demodata")
