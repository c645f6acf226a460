"""Indicator specifications: versions on change, CSV loading with located errors, the scoring table."""

from __future__ import annotations

import pytest

from dugnad.analytics.report import InputError
from dugnad.catalogue.models import IndicatorSpec
from dugnad.catalogue.selectors import indicator_specs_table
from dugnad.catalogue.services import indicator_spec_save, indicator_specs_load_csv
from dugnad.catalogue.spec_csv import SCORING_COLUMNS
from tests.factories import FrameworkFactory, GoalFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

HEADER = "indicator,goal,label,upper_bound,lower_bound,green,red,in_index,applies_to,trend_from,trend_to"


@pytest.fixture
def framework():
    GoalFactory(number=3)
    GoalFactory(number=4, colour="#C5192D", name_nb="God utdanning", name_nn="God utdanning", name_en="Quality Education")
    fw = FrameworkFactory(code="test-set")
    IndicatorFactory(framework=fw, code="mortality", name_nb="Dødelighet under 5 år")
    IndicatorFactory(framework=fw, code="school", name_nb="Fullført videregående")
    return fw


def test_saving_the_same_spec_twice_keeps_one_version(framework):
    indicator = framework.indicators.get(code="mortality")
    first = indicator_spec_save(indicator=indicator, goal=3, upper_bound=2.0, lower_bound=20.0, label="U5MR")
    second = indicator_spec_save(indicator=indicator, goal=3, upper_bound=2.0, lower_bound=20.0, label="U5MR")
    assert first.created and not second.created
    assert second.spec.pk == first.spec.pk
    assert IndicatorSpec.objects.filter(indicator=indicator).count() == 1


def test_a_change_makes_a_new_version_and_keeps_the_old_one(framework):
    indicator = framework.indicators.get(code="mortality")
    indicator_spec_save(indicator=indicator, goal=3, upper_bound=2.0, lower_bound=20.0, direction="lower")
    changed = indicator_spec_save(indicator=indicator, green=5.0)
    assert changed.created and changed.spec.version == 2
    specs = IndicatorSpec.objects.filter(indicator=indicator).order_by("version")
    versions = list(specs.values_list("version", "green", "upper_bound"))
    assert versions == [(1, None, 2.0), (2, 5.0, 2.0)]


def test_loading_a_csv_creates_versions_and_a_reload_changes_nothing(framework, tmp_path):
    path = tmp_path / "specs.csv"
    path.write_text(
        f"{HEADER},direction\nmortality,3,U5MR,2,20,5,15,1,,2015,2023,lower\nschool,4,Fullført,100,50,90,70,ja,!oslo,2015,2023,\n",
        encoding="utf-8",
    )
    first = indicator_specs_load_csv(path=path, framework="test-set")
    assert (first.rows, first.created) == (2, 2)
    again = indicator_specs_load_csv(path=path, framework="test-set")
    assert (again.created, again.unchanged) == (0, 2)
    school = IndicatorSpec.objects.get(indicator__code="school")
    assert (school.direction, school.applies_to, school.in_index) == ("higher", "!oslo", True)


def test_the_spec_table_has_exactly_the_scoring_columns(framework, tmp_path):
    path = tmp_path / "specs.csv"
    path.write_text(f"{HEADER}\nmortality,3,,2,20,5,15,0,,2015,2023\n", encoding="utf-8")
    indicator_specs_load_csv(path=path, framework="test-set")
    indicator_spec_save(indicator=framework.indicators.get(code="mortality"), red=16.0)
    table = indicator_specs_table("test-set")
    assert len(table) == 1
    assert tuple(table[0]) == SCORING_COLUMNS
    assert table[0] == {
        "indicator": "mortality", "goal": 3, "label": "Dødelighet under 5 år", "upper_bound": 2.0, "lower_bound": 20.0,
        "green": 5.0, "red": 16.0, "in_index": False, "applies_to": "", "trend_from": 2015, "trend_to": 2023,
    }


def test_a_bad_csv_is_rejected_with_row_and_column_and_nothing_is_saved(framework, tmp_path):
    path = tmp_path / "specs.csv"
    path.write_text(
        f"{HEADER}\nmortality,3,U5MR,2,20,5,15,1,,2015,2023\nschool,19,x,abc,50,90,70,1,,2015,2023\nnope,4,,1,0,,,1,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        indicator_specs_load_csv(path=path, framework="test-set")
    located = {(p.row, p.column) for p in error.value.report.errors}
    assert {(3, "goal"), (3, "upper_bound")} <= located
    assert IndicatorSpec.objects.count() == 0


def test_an_unknown_indicator_is_located(framework, tmp_path):
    path = tmp_path / "specs.csv"
    path.write_text(f"{HEADER}\nmortality,3,U5MR,2,20,5,15,1,,2015,2023\nnope,4,,1,0,,,1,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        indicator_specs_load_csv(path=path, framework="test-set")
    [problem] = error.value.report.errors
    assert (problem.row, problem.column, problem.value) == (3, "indicator", "nope")
    assert IndicatorSpec.objects.count() == 0


def test_a_missing_column_and_a_contradicting_direction_are_errors(framework, tmp_path):
    path = tmp_path / "specs.csv"
    path.write_text("indicator,goal\nmortality,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="required column 'upper_bound' is missing"):
        indicator_specs_load_csv(path=path, framework="test-set")
    path.write_text(f"{HEADER},direction\nmortality,3,,2,20,,,1,,,,higher\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        indicator_specs_load_csv(path=path, framework="test-set")
    assert error.value.report.errors[0].column == "direction"


def test_a_goal_missing_from_the_catalogue_is_located(framework, tmp_path):
    path = tmp_path / "specs.csv"
    path.write_text(f"{HEADER}\nmortality,7,,2,20,,,1,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        indicator_specs_load_csv(path=path, framework="test-set")
    [problem] = error.value.report.errors
    assert (problem.row, problem.column) == (2, "goal")
    assert IndicatorSpec.objects.count() == 0
