"""The catalogue supplement (specs_telemark.yaml): specs with reasoning, the `telemark` indicators, concordance."""

from __future__ import annotations

import pytest

from dugnad.catalogue.models import Concordance, Indicator, IndicatorSpec
from dugnad.catalogue.selectors import indicator_specs_table
from dugnad.catalogue.services import catalogue_load_snapshot, catalogue_load_supplement, indicator_spec_save
from dugnad.catalogue.services.supplement import SUPPLEMENT_SOURCE, supplement_read

pytestmark = pytest.mark.django_db

SPEC_FIELDS = ("direction", "upper_bound", "lower_bound", "green", "red", "unit")


@pytest.fixture
def catalogue():
    catalogue_load_snapshot()
    return catalogue_load_supplement()


def test_every_spec_in_the_file_is_complete_reasoned_and_consistent():
    data = supplement_read()
    assert data["specs"], "the file holds specs"
    for spec in data["specs"]:
        where = spec["indicator"]
        for name in SPEC_FIELDS:
            assert spec.get(name) not in (None, ""), f"{where}: {name} missing"
        for name in ("direction", "upper_bound", "lower_bound", "green", "red"):
            assert spec["why"].get(name), f"{where}: no reasoning for {name}"
        if spec.get("in_index") is False:
            assert spec["why"].get("in_index"), f"{where}: no reasoning for leaving it out of the index"
        sign = 1 if spec["direction"] == "higher" else -1
        # upper bound scores 100, green better than red, both between the bounds
        assert sign * (spec["upper_bound"] - spec["lower_bound"]) > 0, where
        assert sign * (spec["green"] - spec["red"]) > 0, where
        assert sign * (spec["upper_bound"] - spec["green"]) >= 0 and sign * (spec["red"] - spec["lower_bound"]) >= 0, where
    for row in data["indicators"]:
        assert row["name_nb"] and row["name_nn"] and row["name_en"], row["code"]


def test_init_loads_every_spec_and_the_telemark_indicators_with_their_concordance(catalogue):
    data = supplement_read()
    assert catalogue.specs_created == len(data["specs"])
    for spec in data["specs"]:
        framework, _, code = spec["indicator"].partition(":")
        current = IndicatorSpec.objects.filter(indicator__framework__code=framework, indicator__code=code).latest("version")
        assert (current.direction, current.upper_bound, current.red) == (spec["direction"], spec["upper_bound"], spec["red"])
        assert current.source == SUPPLEMENT_SOURCE
    turnout = Indicator.objects.get(framework__code="telemark", code="valgdeltakelse-kommunestyrevalg")
    assert turnout.name_nn == "Valdeltaking ved kommunestyreval"
    assert list(turnout.goals.values_list("number", flat=True)) == [16]
    assert turnout.metadata["spec_reasoning"]["green"].startswith("Dugnad: 70 %")
    link = Concordance.objects.get(source=turnout)
    assert (link.target.framework.code, link.target.code, link.relation) == ("kommunehelsa-statistikkbank", "1213", "related")
    rows = {r["indicator"]: r for r in indicator_specs_table("kommunehelsa-statistikkbank")}
    assert rows["1129"]["upper_bound"] == 8 and rows["1129"]["lower_bound"] == 27


def test_loading_again_changes_nothing_and_the_snapshot_reload_keeps_the_links(catalogue):
    specs, links = IndicatorSpec.objects.count(), Concordance.objects.filter(source__framework__code="telemark").count()
    catalogue_load_snapshot()
    again = catalogue_load_supplement()
    assert again.specs_created == 0 and again.indicators_created == 0
    assert IndicatorSpec.objects.count() == specs
    assert Concordance.objects.filter(source__framework__code="telemark").count() == links > 0


def test_a_spec_an_analyst_changed_is_kept(catalogue):
    indicator = Indicator.objects.get(framework__code="kommunehelsa-statistikkbank", code="1119")
    indicator_spec_save(indicator=indicator, green=2.6, source="analytiker")
    result = catalogue_load_supplement()
    assert "kommunehelsa-statistikkbank:1119" in result.specs_kept
    assert IndicatorSpec.objects.filter(indicator=indicator).latest("version").green == 2.6
