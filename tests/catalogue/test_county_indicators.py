"""County-level indicators (indicators_county.yaml): reasoned specs, the level in the spec, reuse of the KS id."""

from __future__ import annotations

import pytest

from dugnad.catalogue.models import Concordance, Indicator, IndicatorSpec
from dugnad.catalogue.selectors import (
    county_level_indicators,
    indicators_for_level,
    is_county_level,
    spec_applies_to_level,
)
from dugnad.catalogue.services import (
    catalogue_load_county_indicators,
    catalogue_load_snapshot,
    catalogue_load_supplement,
    indicator_spec_save,
)
from dugnad.catalogue.services.supplement import COUNTY_FILE, COUNTY_SOURCE, supplement_read

SPEC_FIELDS = ("direction", "upper_bound", "lower_bound", "green", "red", "unit")


@pytest.fixture
def loaded(db):
    catalogue_load_snapshot()
    catalogue_load_supplement()
    return catalogue_load_county_indicators()


def test_the_file_holds_six_to_ten_reasoned_county_level_specs_tied_to_sdg_targets():
    data = supplement_read(COUNTY_FILE)
    assert data["level"] == "county"
    assert 6 <= len(data["specs"]) <= 10
    for spec in data["specs"]:
        where = spec["indicator"]
        assert spec["applies_to"] == "county", where
        for name in SPEC_FIELDS:
            assert spec.get(name) not in (None, ""), f"{where}: {name} missing"
        for name in ("level", "direction", "upper_bound", "lower_bound", "green", "red"):
            assert spec["why"].get(name), f"{where}: no reasoning for {name}"
        sign = 1 if spec["direction"] == "higher" else -1
        assert sign * (spec["upper_bound"] - spec["lower_bound"]) > 0, where
        assert sign * (spec["green"] - spec["red"]) > 0, where
        assert sign * (spec["upper_bound"] - spec["green"]) >= 0 and sign * (spec["red"] - spec["lower_bound"]) >= 0, where
    for row in data["indicators"]:
        assert row["name_nb"] and row["name_nn"] and row["name_en"] and row["targets"], row["code"]
    topics = " ".join(r["name_nb"].lower() for r in data["indicators"])
    for word in ("fylkesvei", "kollektiv", "tannhelse", "læreplass"):
        assert word in topics


def test_the_ks_taxonomy_concept_is_reused_with_its_id_not_duplicated(shared):
    """KS «De norske målepunktene» 2385 is the completion of upper secondary school; the file reuses that id."""
    text = shared("no/ks-sdg-taxonomy/De-norske-målepunktene.ttl").read_text(encoding="utf-8")
    block = text.split("De-norske-målepunktene/2385>", 1)[1].split("\n\n", 1)[0]
    assert "fullfører videregående opplæring" in block and "sdg/4.1" in block
    data = supplement_read(COUNTY_FILE)
    assert "de-norske-malepunktene:2385" in {s["indicator"] for s in data["specs"]}
    assert not any("videregående" in r["name_nb"].lower() and "fullfør" in r["name_nb"].lower()
                   for r in data["indicators"])


def test_loading_marks_them_county_level_in_the_spec_and_is_idempotent(loaded):
    data = supplement_read(COUNTY_FILE)
    assert loaded.specs_created == len(data["specs"])
    assert loaded.indicators_created == len(data["indicators"])
    found = county_level_indicators()
    assert len(found) == len(data["specs"])
    completion = Indicator.objects.get(framework__code="de-norske-malepunktene", code="2385")
    assert completion in found
    spec = IndicatorSpec.objects.filter(indicator=completion).latest("version")
    assert (spec.applies_to, spec.source, spec.goal_id) == ("county", COUNTY_SOURCE, 4)
    assert is_county_level(spec)
    roads = Indicator.objects.get(framework__code="fylke", code="fylkesvei-darlig-dekke")
    assert roads.name_nn.startswith("Fylkesvegar") and roads.metadata["reporting_level"] == "county"
    assert set(roads.targets.values_list("code", flat=True)) == {"9.1", "11.2"}
    assert Concordance.objects.filter(source__framework__code="fylke", basis="dugnad:indicators_county").count() == 3
    # the municipal Telemark specs are untouched by the second file
    assert not any(is_county_level(s) for s in IndicatorSpec.objects.filter(indicator__framework__code="telemark"))

    again = catalogue_load_county_indicators()
    assert (again.specs_created, again.specs_unchanged, again.indicators_created) == (0, len(data["specs"]), 0)


def test_levels_filter_what_municipalities_and_counties_report(loaded):
    county = county_level_indicators()
    municipal = list(Indicator.objects.filter(framework__code="telemark"))
    both = [*municipal, *county]
    assert indicators_for_level(both, "municipality") == municipal
    assert indicators_for_level(both, "county") == both
    assert spec_applies_to_level(None, "municipality")  # no spec: every level


def test_an_analysts_edit_of_a_county_spec_is_kept_on_reload(loaded):
    roads = Indicator.objects.get(framework__code="fylke", code="fylkesvei-darlig-dekke")
    indicator_spec_save(indicator=roads, red=35, source="analytiker")
    reloaded = catalogue_load_county_indicators()
    assert "fylke:fylkesvei-darlig-dekke" in reloaded.specs_kept
    assert IndicatorSpec.objects.filter(indicator=roads).latest("version").red == 35
