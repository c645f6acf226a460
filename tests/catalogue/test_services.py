"""Loading the catalogue into the database: snapshot, KS import, idempotence, all-or-nothing, concordance."""

from __future__ import annotations

import shutil

import pytest

from dugnad.analytics.report import InputError
from dugnad.catalogue.models import Concordance, Framework, Goal, Indicator, Target
from dugnad.catalogue.selectors import frameworks_counting, indicator_by_code, targets_of, un_indicator
from dugnad.catalogue.services import catalogue_import_taxonomy, catalogue_load_snapshot
from tests.conftest import shared_path

pytestmark = pytest.mark.django_db

UN_COLOURS = {1: "#E5243B", 3: "#4C9F38", 13: "#3F7E44", 17: "#19486A"}


def _counts():
    links = Indicator.goals.through.objects.count(), Indicator.targets.through.objects.count()
    return (Goal.objects.count(), Target.objects.count(), Framework.objects.count(), Indicator.objects.count(),
            Concordance.objects.count(), *links)


def test_the_snapshot_loads_17_goals_169_targets_and_2092_indicators():
    result = catalogue_load_snapshot()
    assert Goal.objects.count() == 17
    assert {n: Goal.objects.get(number=n).colour for n in UN_COLOURS} == UN_COLOURS
    assert Target.objects.count() == 169
    assert Indicator.objects.count() == 2092
    assert Indicator.objects.filter(framework__name="De norske målepunktene").count() == 459
    assert result.indicators.created == 2092
    assert "2092 indikatorer" in result.summary()


def test_targets_sort_1_10_after_1_9():
    catalogue_load_snapshot()
    codes = [t.code for t in targets_of(8)]
    assert codes[8:12] == ["8.9", "8.10", "8.a", "8.b"]


def test_un_indicator_3_2_1_is_addressable_by_its_code():
    catalogue_load_snapshot()
    indicator = un_indicator("3.2.1")
    assert indicator is not None
    assert indicator.name_en == "Under‑5 mortality rate"
    assert [t.code for t in indicator.targets.all()] == ["3.2"]
    assert [g.number for g in indicator.goals.all()] == [3]
    assert Target.objects.get(code="3.2").indicators.filter(framework__code="un-sdg-indicators").count() == 2


def test_loading_the_snapshot_twice_changes_nothing():
    catalogue_load_snapshot()
    before = _counts()
    again = catalogue_load_snapshot()
    assert not again.changed
    assert again.indicators.unchanged == 2092
    assert _counts() == before
    assert "ingen endringer" in again.summary()


def test_a_changed_row_is_restored_by_the_next_load():
    catalogue_load_snapshot()
    Goal.objects.filter(number=1).update(colour="#000000")
    Indicator.objects.get(framework__code="un-sdg-indicators", code="3.2.1").targets.clear()
    result = catalogue_load_snapshot()
    assert result.goals.updated == 1
    assert result.links_added == 1
    assert Goal.objects.get(number=1).colour == "#E5243B"


def test_importing_the_ks_taxonomy_gives_2092_indicators_and_is_idempotent():
    first = catalogue_import_taxonomy(source=shared_path("no/ks-sdg-taxonomy"))
    assert Indicator.objects.count() == 2092
    assert Indicator.objects.filter(framework__code="de-norske-malepunktene").count() == 459
    framework = Framework.objects.get(code="de-norske-malepunktene")
    assert (framework.name, framework.publisher) == ("De norske målepunktene", "KS")
    assert framework.source_url == "https://data.norge.no/vocabulary/indicator/De-norske-målepunktene"
    assert first.changed
    before = _counts()
    second = catalogue_import_taxonomy(source=shared_path("no/ks-sdg-taxonomy"))
    assert not second.changed
    assert _counts() == before


def test_import_equals_snapshot_load():
    catalogue_import_taxonomy(source=shared_path("no/ks-sdg-taxonomy"))
    assert not catalogue_load_snapshot().changed


def test_a_malformed_file_aborts_the_whole_import(tmp_path):
    source = shared_path("no/ks-sdg-taxonomy")
    shutil.copy(source / "U4SSC.ttl", tmp_path / "U4SSC.ttl")
    (tmp_path / "Zz-broken.ttl").write_text("@prefix a: <http://x/> .\na:b a:c\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        catalogue_import_taxonomy(source=tmp_path)
    assert error.value.report.errors[0].file == "Zz-broken.ttl"
    assert Indicator.objects.count() == 0
    assert Framework.objects.count() == 0


def test_repeated_un_indicators_count_for_each_other():
    catalogue_load_snapshot()
    counted = frameworks_counting(un_indicator("1.5.1"))
    assert [i.code for i in counted] == ["1.5.1", "11.5.1", "13.1.1"]


def test_an_oecd_indicator_that_closely_matches_a_un_indicator_counts_for_it():
    catalogue_load_snapshot()
    oecd = indicator_by_code("oecd-a-territorial-approach-to-the-sdgs", "2044")
    link = Concordance.objects.get(source=oecd)
    assert (link.target.code, link.relation, link.basis) == ("3.2.1", "close", "skos:closeMatch")
    counted = frameworks_counting(oecd)
    assert [(i.framework.code, i.code) for i in counted] == [
        ("oecd-a-territorial-approach-to-the-sdgs", "2044"), ("un-sdg-indicators", "3.2.1"),
    ]
    assert oecd in frameworks_counting(un_indicator("3.2.1"))
    # a relatedMatch link is recorded but does not make a value count
    assert Concordance.objects.filter(relation="related").exists()
    related = Concordance.objects.filter(relation="related").first()
    assert related.target not in frameworks_counting(related.source)


def test_hand_made_concordance_survives_a_reload():
    catalogue_load_snapshot()
    a = indicator_by_code("de-norske-malepunktene", "2261")
    b = un_indicator("11.1.1")
    Concordance.objects.create(source=a, target=b, relation="close")
    catalogue_load_snapshot()
    assert Concordance.objects.filter(source=a, target=b, basis="").exists()
    assert b in frameworks_counting(a)


def test_editions_of_one_indicator_with_the_same_title_and_source_are_the_same():
    catalogue_load_snapshot()
    gini_2020 = Indicator.objects.get(framework__code="the-eu-jrc-vlr-handbook-indicators-2020", name_en="Gini index")
    counted = frameworks_counting(gini_2020)
    assert [(i.framework.code, i.name_en) for i in counted] == [
        ("the-eu-jrc-vlr-handbook-indicators-2020", "Gini index"),
        ("the-eu-jrc-vlr-handbook-indicators-2022", "Gini index"),
    ]
    assert Concordance.objects.get(source=gini_2020).basis == "title"
