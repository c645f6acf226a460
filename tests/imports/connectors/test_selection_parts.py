"""Selections: value expressions, cell counts, splitting and the JSON-stat merge."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.imports.connectors.ssbserver import slice_dataset, small_table

from dugnad.imports.connectors.jsonstat import merge_datasets
from dugnad.imports.connectors.selection import Selection, resolve_values, split_selection

YEARS = ("2013", "2014", "2015", "2016", "2017")


@pytest.mark.parametrize(
    ("expressions", "expected"),
    [
        (["*"], list(YEARS)),
        (["from(2015)"], ["2015", "2016", "2017"]),
        (["to(2014)"], ["2013", "2014"]),
        (["top(2)"], ["2016", "2017"]),
        (["bottom(1)"], ["2013"]),
        (["range(2014,2016)"], ["2014", "2015", "2016"]),
        (["201*"], list(YEARS)),
        (["2017", "2013", "2013"], ["2013", "2017"]),
    ],
)
def test_expressions_resolve_to_codes_in_metadata_order(expressions, expected):
    assert resolve_values(expressions, YEARS) == expected


def test_unknown_code_and_expression_are_refused():
    with pytest.raises(KeyError):
        resolve_values(["1999"], YEARS)
    with pytest.raises(ValueError, match="unknown selection expression"):
        resolve_values(["last(3)"], YEARS)


def test_split_keeps_every_cell_exactly_once():
    selection = Selection("T", {"Region": [f"{i:04d}" for i in range(10)], "Tid": list(YEARS), "C": ["x", "y"]})
    parts = split_selection(selection, 25)
    assert all(p.cells <= 25 for p in parts)
    cells = [(r, t, c) for p in parts for r in p.values["Region"] for t in p.values["Tid"] for c in p.values["C"]]
    assert sorted(cells) == sorted((r, t, c) for r in selection.values["Region"] for t in YEARS for c in ["x", "y"])


def _dataset(regions, years, values, status=None):
    doc = {
        "version": "2.0", "class": "dataset", "id": ["Region", "Tid"], "size": [len(regions), len(years)],
        "dimension": {
            "Region": {"label": "region", "category": {"index": {r: i for i, r in enumerate(regions)},
                                                       "label": {r: r for r in regions}}},
            "Tid": {"label": "år", "category": {"index": {t: i for i, t in enumerate(years)},
                                                "label": {t: t for t in years}}},
        },
        "value": values,
    }
    if status:
        doc["status"] = status
    return doc


def test_merge_puts_values_and_status_at_their_new_positions():
    left = _dataset(["0301"], ["2020", "2021"], [1, None], {"1": ".."})
    right = _dataset(["4601"], ["2020", "2021"], [3, 4])
    merged = merge_datasets([left, right], order={"Region": ["0301", "4601"], "Tid": ["2020", "2021"]})
    assert merged == _dataset(["0301", "4601"], ["2020", "2021"], [1, None, 3, 4], {"1": ".."})


@given(
    sizes=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=4),
    limit=st.integers(min_value=1, max_value=200),
)
def test_any_split_merges_back_to_the_whole(sizes, limit):
    dims = [(f"D{i}", {f"c{j}": f"c{j}" for j in range(size)}) for i, size in enumerate(sizes)]
    total = math.prod(sizes)
    status = {str(i): ".." for i in range(0, total, 3)}
    _, whole = small_table("T", label="t", updated="u", dims=dims, values=[float(i) for i in range(total)], status=status)
    selection = Selection("T", {d: list(codes) for d, codes in dims})
    parts = split_selection(selection, limit)
    assert all(p.cells <= limit for p in parts)
    merged = merge_datasets([slice_dataset(whole, p.values) for p in parts], order=selection.values)
    assert merged == whole
