"""Reads of stored observations: the tidy table and the revision history."""

from __future__ import annotations

import pytest
from tests.factories import make_registry, run_import

from dugnad.observations.selectors import observation_history, observations_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    reg = make_registry()
    run_import([
        {"unit": "0301", "indicator": "A1", "period": "2023", "sex": "F", "value": 1.0},
        {"unit": "0301", "indicator": "A1", "period": "2023", "sex": "", "value": 3.0},
        {"unit": "0", "indicator": "un:3.2.1", "period": "2022", "sex": "", "value": 5.0},
        {"unit": "0", "indicator": "B1", "period": "2022", "sex": "", "value": None},
    ])
    return reg


def test_observations_table_is_tidy_with_codes_and_dimension_columns(registry):
    table = observations_table()
    assert table.column_names == ["unit", "indicator", "period", "sex", "value", "status"]
    assert table.to_pylist() == [
        {"unit": "0", "indicator": "B1", "period": "2022", "sex": "", "value": None, "status": "missing"},
        {"unit": "0", "indicator": "un:3.2.1", "period": "2022", "sex": "", "value": 5.0, "status": "ok"},
        {"unit": "0301", "indicator": "A1", "period": "2023", "sex": "", "value": 3.0, "status": "ok"},
        {"unit": "0301", "indicator": "A1", "period": "2023", "sex": "F", "value": 1.0, "status": "ok"},
    ]


def test_observations_table_filters_by_unit_and_indicator(registry):
    assert observations_table(units=["0"]).column("indicator").to_pylist() == ["B1", "un:3.2.1"]
    assert observations_table(indicators=[registry["indicators"]["A1"]]).num_rows == 2
    assert observations_table(units=[registry["units"]["0301"]], indicators=["B1"]).num_rows == 0
    assert observations_table(units=[]).num_rows == 0


def test_observations_table_can_return_all_revisions_with_provenance(registry):
    result = run_import([{"unit": "0", "indicator": "B1", "period": "2022", "value": 2.0}])
    table = observations_table(units=["0"], indicators=["B1"], current_only=False, with_provenance=True)
    assert [(r["revision"], r["is_current"], r["value"], r["import_run"]) for r in table.to_pylist()] == [
        (1, False, None, result.run.pk - 1),
        (2, True, 2.0, result.run.pk),
    ]
    assert table.column("is_demo").to_pylist() == [False, False]


def test_history_of_an_observation_lists_revisions_oldest_first(registry):
    unit, indicator = registry["units"]["0301"], registry["indicators"]["A1"]
    run_import([{"unit": "0301", "indicator": "A1", "period": "2023", "sex": "F", "value": 1.5}])
    history = observation_history(unit, indicator, "2023", "sex=F")
    assert [(o.revision, o.value, o.is_current) for o in history] == [(1, 1.0, False), (2, 1.5, True)]
    assert observation_history(unit, indicator, "2023") == [observation_history(unit, indicator, "2023")[0]]
