"""Registered transformations on tidy tables."""

from __future__ import annotations

import pyarrow as pa

from dugnad.imports.connectors.transforms import TRANSFORMS


def tidy(units, periods, values, statuses=None):
    n = len(units)
    return pa.table({
        "unit": units, "indicator": ["x"] * n, "period": periods,
        "value": pa.array(values, pa.float64()), "status": statuses or ["ok"] * n,
    })


def test_percent_and_scale():
    table = tidy(["0301", "4601"], ["2024", "2024"], [0.125, None])
    assert TRANSFORMS["percent"].apply(table).column("value").to_pylist() == [12.5, None]
    assert TRANSFORMS["scale"].apply(table, 0.001).column("value").to_pylist() == [0.000125, None]


def test_per_1000_divides_by_the_same_unit_and_period():
    cases = tidy(["0301", "0301", "4601", "5001"], ["2023", "2024", "2024", "2024"], [700.0, 720.0, 300.0, 10.0])
    population = tidy(["4601", "0301", "0301"], ["2024", "2024", "2023"], [300_000.0, 720_000.0, 700_000.0])
    result = TRANSFORMS["per_1000"].apply(cases, population)
    assert result.column_names == cases.column_names
    assert result.column("unit").to_pylist() == ["0301", "0301", "4601", "5001"]
    assert result.column("value").to_pylist() == [1.0, 1.0, 1.0, None]
    assert result.column("status").to_pylist() == ["ok", "ok", "ok", "missing"]


def test_sum_over_sums_a_filtered_variable_and_keeps_missing_groups_missing():
    from dugnad.imports.connectors.dataset import sum_over

    table = pa.table({
        "unit": ["0301", "0301", "4601", "4601"], "indicator": ["x"] * 4, "period": ["2024"] * 4,
        "Alder": ["000", "001", "000", "001"], "value": pa.array([1.0, 2.0, 3.0, None]),
        "status": ["ok", "ok", "ok", "missing"],
    })
    assert sum_over(table, ["Alder"]).to_pylist() == [
        {"unit": "0301", "indicator": "x", "period": "2024", "value": 3.0, "status": "ok"},
        {"unit": "4601", "indicator": "x", "period": "2024", "value": None, "status": "missing"},
    ]
